"use client";

import { useEffect, useRef, useState } from "react";

interface EditFormProps {
  initial: string;
  onSubmit: (text: string) => Promise<boolean>;
  onCancel: () => void;
}

/** Inline editor for a user message; submitting forks before this turn and resends. */
export function EditForm({ initial, onSubmit, onCancel }: EditFormProps) {
  const [text, setText] = useState(initial);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const node = ref.current;
    if (!node) return;
    node.focus();
    node.setSelectionRange(node.value.length, node.value.length);
  }, []);

  useEffect(() => {
    const node = ref.current;
    if (!node) return;
    node.style.height = "auto";
    node.style.height = `${Math.min(node.scrollHeight, 320)}px`;
  }, [text]);

  const submit = async () => {
    const trimmed = text.trim();
    if (!trimmed || busy) return;
    setBusy(true);
    const ok = await onSubmit(trimmed);
    if (!ok) setBusy(false);
  };

  return (
    <form
      className="w-full"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <textarea
        ref={ref}
        data-testid="edit-input"
        aria-label="Edit message"
        value={text}
        rows={2}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            void submit();
          } else if (event.key === "Escape") {
            event.preventDefault();
            event.stopPropagation();
            onCancel();
          }
        }}
        className="block w-full resize-none rounded-lg border border-line bg-bg px-3 py-2 text-[15px] leading-6 outline-none focus:border-accent"
      />
      <div className="mt-2 flex justify-end gap-2">
        <button type="button" data-testid="edit-cancel" onClick={onCancel} className="rounded-md px-3 py-1.5 text-sm hover:bg-hover">
          Cancel
        </button>
        <button
          type="submit"
          data-testid="edit-submit"
          disabled={busy || !text.trim()}
          className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg hover:opacity-90 disabled:opacity-40"
        >
          Save & send
        </button>
      </div>
    </form>
  );
}
