import type { UsageTotals } from "@/lib/api-types";
import { costsOf, formatTokens, moneyDecimals } from "@/lib/client/format";
import { CostFigureText } from "@/components/ui/cost-figure";

/** Spend and tokens per model, at one precision. */
export function ModelUsageTable({ models }: { models: { model: string; usage: UsageTotals }[] }) {
  if (models.length === 0) return <p className="text-sm text-muted">No model calls in this range.</p>;
  const decimals = moneyDecimals(costsOf(models.map((row) => row.usage)));
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="model-usage-table">
        <thead>
          <tr className="border-b border-line text-left text-xs text-muted">
            <th className="py-1.5 pr-3 font-medium">Model</th>
            <th className="py-1.5 pr-3 text-right font-medium">Requests</th>
            <th className="py-1.5 pr-3 text-right font-medium">Input</th>
            <th className="py-1.5 pr-3 text-right font-medium">Output</th>
            <th className="py-1.5 text-right font-medium">Cost</th>
          </tr>
        </thead>
        <tbody>
          {models.map(({ model, usage }) => (
            <tr key={model} data-testid="model-usage-row" className="border-b border-line/60 tabular-nums">
              <td className="max-w-[12rem] truncate py-1.5 pr-3 font-mono text-xs">{model}</td>
              <td className="py-1.5 pr-3 text-right">{formatTokens(usage.requests)}</td>
              <td className="py-1.5 pr-3 text-right">
                {formatTokens(usage.inputTokens)}
                {usage.cachedInputTokens > 0 ? <span className="text-muted"> ({formatTokens(usage.cachedInputTokens)} cached)</span> : null}
              </td>
              <td className="py-1.5 pr-3 text-right">{formatTokens(usage.outputTokens)}</td>
              <td className="py-1.5 text-right">
                <CostFigureText figure={usage} decimals={decimals} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
