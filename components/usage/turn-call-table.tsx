import type { UsageCallView } from "@/lib/api-types";
import { formatTokens } from "@/lib/client/format";
import { CostFigureText } from "@/components/ui/cost-figure";

/** The model calls of one turn; an overhead call (the title) is marked as outside the turn's total. */
export function TurnCallTable({ calls, decimals }: { calls: UsageCallView[]; decimals: number }) {
  return (
    <table className="mt-1 w-full text-xs">
      <thead>
        <tr className="text-left text-muted">
          <th className="py-1 pr-2 font-medium">Call</th>
          <th className="py-1 pr-2 font-medium">Model</th>
          <th className="py-1 pr-2 text-right font-medium">In</th>
          <th className="py-1 pr-2 text-right font-medium">Out</th>
          <th className="py-1 text-right font-medium">Cost</th>
        </tr>
      </thead>
      <tbody>
        {calls.map((call) => (
          <tr key={call.id} data-testid="usage-call-row" data-overhead={call.overhead ? "true" : "false"} className="tabular-nums">
            <td className="py-1 pr-2">
              <span data-testid="usage-call-label">{call.label}</span>
              {call.overhead ? (
                <span data-testid="usage-call-overhead" className="block text-[11px] text-muted">
                  not part of this turn&apos;s total
                </span>
              ) : null}
            </td>
            <td className="max-w-[8rem] truncate py-1 pr-2 font-mono">{call.model ?? "unknown"}</td>
            <td className="py-1 pr-2 text-right">{formatTokens(call.usage.inputTokens)}</td>
            <td className="py-1 pr-2 text-right">{formatTokens(call.usage.outputTokens)}</td>
            <td className="py-1 text-right">
              <CostFigureText figure={call.usage} decimals={decimals} testId="usage-call-cost" className={call.overhead ? "text-muted" : undefined} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
