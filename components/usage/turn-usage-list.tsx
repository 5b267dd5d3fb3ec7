import type { TurnUsageView } from "@/lib/api-types";
import { moneyDecimals } from "@/lib/client/format";
import { CostFigureText } from "@/components/ui/cost-figure";
import { TurnCallTable } from "@/components/usage/turn-call-table";

/** The active branch's turns, each with its total and, expanded, the calls it made. */
export function TurnUsageList({ turns }: { turns: TurnUsageView[] }) {
  if (turns.length === 0) return <p className="text-sm text-muted">No turns yet.</p>;
  return (
    <ul className="divide-y divide-line/60 text-sm" data-testid="usage-turns">
      {turns.map((turn) => {
        const decimals = moneyDecimals([turn.usage.costMicros, ...turn.calls.map((call) => call.usage.costMicros)]);
        return (
          <li key={turn.turnId} data-testid="usage-turn-row" data-turn-number={turn.turn}>
            <details>
              <summary className="flex cursor-pointer items-center gap-2 py-1.5" data-testid="usage-turn-toggle">
                <span className="font-medium">Turn {turn.turn}</span>
                <span className="min-w-0 flex-1 truncate text-xs text-muted">{turn.models.join(", ")}</span>
                <CostFigureText figure={turn.usage} decimals={decimals} testId="usage-turn-cost" className="tabular-nums" />
              </summary>
              <TurnCallTable calls={turn.calls} decimals={decimals} />
            </details>
          </li>
        );
      })}
    </ul>
  );
}
