"use client";

import clsx from "clsx";
import { useEffect, useId, type FormEvent, type ReactNode } from "react";

interface AccountDialogProps {
  title: string;
  testId: string;
  children: ReactNode;
  error: string | null;
  busy: boolean;
  submitLabel: string;
  danger?: boolean;
  footer?: ReactNode;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onCancel: () => void;
}

/** A modal form for an account action: fields, an error line, Cancel and a submit button (`account-submit`). */
export function AccountDialog({ title, testId, children, error, busy, submitLabel, danger, footer, onSubmit, onCancel }: AccountDialogProps) {
  const titleId = useId();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        onCancel();
      }
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [onCancel]);

  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-black/40 p-4" onMouseDown={onCancel}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        className="w-full max-w-sm rounded-xl border border-line bg-elevated p-5 text-fg shadow-xl"
        onMouseDown={(event) => event.stopPropagation()}
      >
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        <form className="mt-3 flex flex-col gap-3" onSubmit={onSubmit} noValidate>
          {children}
          {error ? (
            <p role="alert" data-testid="account-error" className="text-sm text-danger">
              {error}
            </p>
          ) : null}
          <div className="mt-2 flex items-center justify-end gap-2">
            {footer ? <div className="mr-auto text-sm">{footer}</div> : null}
            <button
              type="button"
              data-testid="account-cancel"
              onClick={onCancel}
              className="rounded-md px-3 py-1.5 text-sm hover:bg-hover focus-visible:outline-2 focus-visible:outline-accent"
            >
              Cancel
            </button>
            <button
              type="submit"
              data-testid="account-submit"
              disabled={busy}
              className={clsx(
                "rounded-md px-3 py-1.5 text-sm font-medium hover:opacity-90 focus-visible:outline-2 focus-visible:outline-accent disabled:opacity-50",
                danger ? "bg-danger text-white" : "bg-accent text-accent-fg",
              )}
            >
              {submitLabel}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

interface FieldProps {
  label: string;
  name: string;
  type?: "text" | "email" | "password";
  autoComplete: string;
  value: string;
  onChange: (value: string) => void;
  autoFocus?: boolean;
}

/** A labelled input; its accessible name is the label. */
export function Field({ label, name, type = "text", autoComplete, value, onChange, autoFocus }: FieldProps) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        autoComplete={autoComplete}
        value={value}
        autoFocus={autoFocus}
        onChange={(event) => onChange(event.target.value)}
        className="rounded-md border border-line bg-bg px-2.5 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-accent"
      />
    </div>
  );
}
