"use client";

import { useState, type FormEvent } from "react";
import { errorMessage, setConversationBudget } from "@/lib/client/api";
import { BUDGET_INPUT_ERROR, budgetText, parseBudgetDollars } from "@/lib/client/budget-input";
import { ErrorBanner } from "@/components/ui/error-banner";

/** "Budget for this conversation ($)": a turn that would start past it is refused (docs/budgets.md). */
export function ConversationBudgetField({ conversationId, initial }: { conversationId: string; initial: number | null }) {
  const [text, setText] = useState(budgetText(initial));
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const micros = parseBudgetDollars(text);
    if (micros === undefined) {
      setError(BUDGET_INPUT_ERROR);
      return;
    }
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const stored = await setConversationBudget(conversationId, micros);
      setText(budgetText(stored));
      setSaved(stored === null ? "No budget for this conversation." : "Budget saved.");
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="mt-4 flex flex-col gap-1.5 border-t border-line pt-4 text-sm" onSubmit={(event) => void submit(event)}>
      <label className="flex flex-col gap-1.5">
        <span className="font-medium">Budget for this conversation ($)</span>
        <div className="flex gap-2">
          <input
            data-testid="conversation-budget-input"
            type="text"
            inputMode="decimal"
            placeholder="No budget"
            value={text}
            onChange={(event) => setText(event.target.value)}
            className="w-full rounded-md border border-line bg-bg px-2 py-1.5 text-sm text-fg outline-none focus-visible:border-accent"
          />
          <button
            type="submit"
            data-testid="conversation-budget-save"
            disabled={busy}
            className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg hover:opacity-90 focus-visible:outline-2 focus-visible:outline-accent disabled:opacity-50"
          >
            Save budget
          </button>
        </div>
      </label>
      <span className="text-xs text-muted">Warns at 80 %; a message that would go past it is refused. Blank: no budget.</span>
      {saved ? (
        <span className="text-xs text-muted" role="status" data-testid="conversation-budget-saved">
          {saved}
        </span>
      ) : null}
      {error ? <ErrorBanner message={error} onDismiss={() => setError(null)} /> : null}
    </form>
  );
}
