"use client";

import type { TurnEstimate } from "@/lib/api-types";
import { formatMoney } from "@/lib/client/format";
import { budgetWarnings, warningText } from "@/lib/usage/budget-math";

/** "≈ 3,400 in · ≈ $0.004" under the message box, and a warning per budget at 80 % or more. */
export function TurnEstimateLine({ estimate }: { estimate: TurnEstimate | null }) {
  if (!estimate) return null;
  const cost = estimate.costMicros === null ? `no price for ${estimate.model}` : `≈ ${formatMoney(estimate.costMicros)}`;
  const warnings = budgetWarnings(estimate.budgets);
  return (
    <div className="px-4 pb-1 text-xs text-muted">
      <p data-testid="turn-estimate" title="Input of the next message: instructions, the history sent and your draft">
        ≈ {estimate.inputTokens.toLocaleString("en-US")} in · {cost}
      </p>
      {warnings.map((status) => (
        <p key={status.scope} data-testid={`budget-warning-${status.scope}`} role="status" className="text-warn">
          {warningText(status, formatMoney)}
        </p>
      ))}
    </div>
  );
}
