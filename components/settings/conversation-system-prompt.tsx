"use client";

import { useCallback, useEffect, useId, useState, type FormEvent } from "react";
import { errorMessage, getConversation, setConversationSystemPrompt } from "@/lib/client/api";
import { ErrorBanner } from "@/components/ui/error-banner";
import { IconButton } from "@/components/ui/icon-button";
import { ConversationBudgetField } from "./conversation-budget";

function PromptIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M4 5h16v11H8l-4 4z" />
      <path d="M8 9h8M8 12h5" />
    </svg>
  );
}

/** Header button and dialog for a conversation's own system prompt (blank: the user's default applies). */
export function ConversationSystemPrompt({ conversationId }: { conversationId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <IconButton label="Conversation system prompt" data-testid="conversation-system-prompt" onClick={() => setOpen(true)}>
        <PromptIcon />
      </IconButton>
      {open ? <SystemPromptDialog conversationId={conversationId} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function SystemPromptDialog({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const titleId = useId();
  const [text, setText] = useState<string | null>(null);
  const [budget, setBudget] = useState<number | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    getConversation(conversationId, controller.signal)
      .then((detail) => {
        setText(detail.systemPrompt ?? "");
        setBudget(detail.budgetMicros ?? null);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [conversationId]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        onClose();
      }
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [onClose]);

  const store = useCallback(
    async (value: string | null) => {
      setBusy(true);
      setError(null);
      try {
        await setConversationSystemPrompt(conversationId, value);
        onClose();
      } catch (err) {
        setError(errorMessage(err));
      } finally {
        setBusy(false);
      }
    },
    [conversationId, onClose],
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void store(text?.trim() ? text : null);
  };

  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-black/40 p-4" onMouseDown={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="conversation-system-prompt-dialog"
        className="w-full max-w-md rounded-xl border border-line bg-elevated p-5 text-fg shadow-xl"
        onMouseDown={(event) => event.stopPropagation()}
      >
        <h2 id={titleId} className="text-base font-semibold">
          System prompt for this conversation
        </h2>
        <form className="mt-3 flex flex-col gap-3" onSubmit={submit}>
          <textarea
            aria-label="System prompt for this conversation"
            data-testid="conversation-system-prompt-input"
            rows={6}
            maxLength={8000}
            disabled={text === null}
            placeholder="Blank: your default system prompt (Settings) applies"
            value={text ?? ""}
            onChange={(event) => setText(event.target.value)}
            className="w-full resize-y rounded-md border border-line bg-bg px-2 py-1.5 text-sm text-fg outline-none focus-visible:border-accent"
          />
          <p className="text-xs text-muted">New messages use it; regenerating an answer replays what that answer was sent.</p>
          {error ? <ErrorBanner message={error} onDismiss={() => setError(null)} /> : null}
          <div className="flex justify-end gap-2">
            <button
              type="button"
              data-testid="conversation-system-prompt-clear"
              disabled={busy || text === null}
              onClick={() => void store(null)}
              className="mr-auto rounded-md px-3 py-1.5 text-sm text-muted hover:bg-hover focus-visible:outline-2 focus-visible:outline-accent disabled:opacity-50"
            >
              Use my default
            </button>
            <button type="button" onClick={onClose} className="rounded-md px-3 py-1.5 text-sm hover:bg-hover focus-visible:outline-2 focus-visible:outline-accent">
              Cancel
            </button>
            <button
              type="submit"
              data-testid="conversation-system-prompt-save"
              disabled={busy || text === null}
              className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg hover:opacity-90 focus-visible:outline-2 focus-visible:outline-accent disabled:opacity-50"
            >
              Save
            </button>
          </div>
        </form>
        {budget !== undefined ? <ConversationBudgetField conversationId={conversationId} initial={budget} /> : null}
      </div>
    </div>
  );
}
