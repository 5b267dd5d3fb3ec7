"use client";

import { useEffect, useRef, useState } from "react";

interface InlineRenameProps {
  initial: string;
  label: string;
  testId: string;
  maxLength?: number;
  onSave: (value: string) => void;
  onCancel: () => void;
  className?: string;
}

/** A text input that saves on Enter or blur and cancels on Escape. */
export function InlineRename({ initial, label, testId, maxLength = 200, onSave, onCancel, className }: InlineRenameProps) {
  const [value, setValue] = useState(initial);
  const ref = useRef<HTMLInputElement>(null);
  const done = useRef(false);

  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);

  const finish = (save: boolean) => {
    if (done.current) return;
    done.current = true;
    const trimmed = value.trim();
    if (save && trimmed && trimmed !== initial) onSave(trimmed);
    else onCancel();
  };

  return (
    <input
      ref={ref}
      data-testid={testId}
      aria-label={label}
      value={value}
      maxLength={maxLength}
      onChange={(event) => setValue(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          finish(true);
        } else if (event.key === "Escape") {
          event.preventDefault();
          event.stopPropagation();
          finish(false);
        }
      }}
      onBlur={() => finish(true)}
      className={
        className ??
        "w-full min-w-0 rounded-md border border-accent bg-bg px-2 py-1 text-sm text-fg outline-none focus-visible:ring-2 focus-visible:ring-accent/40"
      }
    />
  );
}
