"use client";

import { useModels } from "@/hooks/use-models";

/** The model for the next message, with a visible badge when it is the offline demo model. */
export function ModelPicker({ disabled }: { disabled?: boolean }) {
  const { models, selected, select, error } = useModels();

  if (error && models.length === 0) {
    return (
      <span className="text-xs text-danger" data-testid="model-error">
        Models unavailable
      </span>
    );
  }

  return (
    <>
      <label className="min-w-0">
        <span className="sr-only">Model</span>
        <select
          data-testid="model-picker"
          aria-label="Model"
          value={selected?.id ?? ""}
          disabled={disabled || models.length === 0}
          onChange={(event) => select(event.target.value)}
          className="max-w-[11rem] truncate rounded-md border border-line bg-bg px-2 py-1 text-xs text-fg outline-none focus-visible:border-accent sm:max-w-[16rem]"
        >
          {models.length === 0 ? <option value="">Loading models…</option> : null}
          {models.map((model) => (
            <option key={model.id} value={model.id}>
              {model.label}
              {model.demo && !/demo/i.test(model.label) ? " (demo)" : ""}
            </option>
          ))}
        </select>
      </label>
      {selected?.demo ? <DemoBadge /> : null}
    </>
  );
}

export function DemoBadge() {
  return (
    <span
      data-testid="demo-badge"
      title="No model provider is configured: the offline demo model answers with canned replies."
      className="inline-flex items-center rounded-full border border-warn/40 bg-warn/10 px-2 py-0.5 text-[11px] font-medium text-warn"
    >
      Demo model — offline, canned replies
    </span>
  );
}
