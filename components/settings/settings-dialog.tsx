"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import type { Theme, UserSettings } from "@/lib/api-types";
import { errorMessage } from "@/lib/client/api";
import { BUDGET_INPUT_ERROR, budgetText, parseBudgetDollars } from "@/lib/client/budget-input";
import { useModels } from "@/hooks/use-models";
import { useSettings } from "@/hooks/use-settings";
import { ErrorBanner } from "@/components/ui/error-banner";

const THEMES: { value: Theme; label: string }[] = [
  { value: "system", label: "System" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

const field = "w-full rounded-md border border-line bg-bg px-2 py-1.5 text-sm text-fg outline-none focus-visible:border-accent";

/** The text of an optional number field: blank = not set. */
const numberText = (value: number | null) => (value === null ? "" : String(value));

function parseOptionalNumber(text: string): number | null {
  return text.trim() === "" ? null : Number(text);
}

/** The user's settings: theme (applied and saved at once), default model, system prompt and sampling settings. */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const titleId = useId();
  const { settings, error: loadError } = useSettings();

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

  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-black/40 p-4" onMouseDown={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="settings-dialog"
        className="max-h-full w-full max-w-md overflow-y-auto rounded-xl border border-line bg-elevated p-5 text-fg shadow-xl"
        onMouseDown={(event) => event.stopPropagation()}
      >
        <h2 id={titleId} className="text-base font-semibold">
          Settings
        </h2>
        {loadError && !settings ? <p className="mt-3 text-sm text-danger">{loadError}</p> : null}
        {!settings && !loadError ? <p className="mt-3 text-sm text-muted">Loading…</p> : null}
        {settings ? <SettingsForm initial={settings} onClose={onClose} /> : null}
      </div>
    </div>
  );
}

function SettingsForm({ initial, onClose }: { initial: UserSettings; onClose: () => void }) {
  const { save } = useSettings();
  const { models, select } = useModels();
  const [draft, setDraft] = useState<UserSettings>(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [temperature, setTemperature] = useState(numberText(initial.temperature));
  const [maxOutputTokens, setMaxOutputTokens] = useState(numberText(initial.maxOutputTokens));
  const [monthlyBudget, setMonthlyBudget] = useState(budgetText(initial.monthlyBudgetMicros));

  const chooseTheme = (theme: Theme) => {
    setDraft((prev) => ({ ...prev, theme }));
    save({ theme }).catch((err: unknown) => setError(errorMessage(err)));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const monthlyBudgetMicros = parseBudgetDollars(monthlyBudget);
    if (monthlyBudgetMicros === undefined) {
      setError(BUDGET_INPUT_ERROR);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await save({
        defaultModel: draft.defaultModel,
        systemPrompt: draft.systemPrompt,
        temperature: parseOptionalNumber(temperature),
        maxOutputTokens: parseOptionalNumber(maxOutputTokens),
        monthlyBudgetMicros,
      });
      if (saved.defaultModel) select(saved.defaultModel);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="mt-4 flex flex-col gap-4" onSubmit={(event) => void submit(event)}>
      <fieldset>
        <legend className="mb-1.5 text-sm font-medium">Theme</legend>
        <div role="radiogroup" aria-label="Theme" className="flex gap-1 rounded-lg border border-line p-1">
          {THEMES.map((theme) => (
            <button
              key={theme.value}
              type="button"
              role="radio"
              aria-checked={draft.theme === theme.value}
              data-testid={`theme-${theme.value}`}
              onClick={() => chooseTheme(theme.value)}
              className={`flex-1 rounded-md px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-accent ${draft.theme === theme.value ? "bg-accent text-accent-fg" : "hover:bg-hover"}`}
            >
              {theme.label}
            </button>
          ))}
        </div>
      </fieldset>
      <label className="flex flex-col gap-1.5 text-sm">
        <span className="font-medium">Default model</span>
        <select
          data-testid="settings-default-model"
          value={draft.defaultModel ?? ""}
          onChange={(event) => setDraft({ ...draft, defaultModel: event.target.value || null })}
          className={field}
        >
          <option value="">Server default</option>
          {models.map((model) => (
            <option key={model.id} value={model.id}>
              {model.label}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1.5 text-sm">
        <span className="font-medium">Default system prompt</span>
        <textarea
          data-testid="settings-system-prompt"
          rows={5}
          maxLength={8000}
          placeholder="Forkline's built-in instructions"
          value={draft.systemPrompt ?? ""}
          onChange={(event) => setDraft({ ...draft, systemPrompt: event.target.value })}
          className={`${field} resize-y`}
        />
        <span className="text-xs text-muted">Sent with every new message; a conversation can set its own.</span>
      </label>
      <div className="grid grid-cols-2 gap-3">
        <label className="flex flex-col gap-1.5 text-sm">
          <span className="font-medium">Temperature</span>
          <input
            data-testid="settings-temperature"
            type="number"
            inputMode="decimal"
            min={0}
            max={2}
            step={0.1}
            placeholder="Provider default"
            value={temperature}
            onChange={(event) => setTemperature(event.target.value)}
            className={field}
          />
        </label>
        <label className="flex flex-col gap-1.5 text-sm">
          <span className="font-medium">Max output tokens</span>
          <input
            data-testid="settings-max-output-tokens"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            placeholder="Server default"
            value={maxOutputTokens}
            onChange={(event) => setMaxOutputTokens(event.target.value)}
            className={field}
          />
        </label>
      </div>
      <label className="flex flex-col gap-1.5 text-sm">
        <span className="font-medium">Monthly budget ($)</span>
        <input
          data-testid="settings-monthly-budget"
          type="text"
          inputMode="decimal"
          placeholder="No budget"
          value={monthlyBudget}
          onChange={(event) => setMonthlyBudget(event.target.value)}
          className={field}
        />
        <span className="text-xs text-muted">All your conversations this calendar month (UTC), deleted ones included. Warns at 80 %; a message that would go past it is refused.</span>
      </label>
      {error ? (
        <div data-testid="settings-error">
          <ErrorBanner message={error} onDismiss={() => setError(null)} />
        </div>
      ) : null}
      <div className="flex justify-end gap-2">
        <button
          type="button"
          data-testid="settings-close"
          onClick={onClose}
          className="rounded-md px-3 py-1.5 text-sm hover:bg-hover focus-visible:outline-2 focus-visible:outline-accent"
        >
          Close
        </button>
        <button
          type="submit"
          data-testid="settings-save"
          disabled={busy}
          className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg hover:opacity-90 focus-visible:outline-2 focus-visible:outline-accent disabled:opacity-50"
        >
          Save
        </button>
      </div>
    </form>
  );
}
