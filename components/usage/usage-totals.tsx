import type { UsageTotals } from "@/lib/api-types";
import { costsOf, formatTokens, moneyDecimals } from "@/lib/client/format";
import { CostFigureText } from "@/components/ui/cost-figure";
import { CacheSummary } from "@/components/usage/cache-summary";

/** A named part of a total shown on its own line under it (null parts are left out). */
export interface UsagePart {
  label: string;
  usage: UsageTotals | null;
  testId: string;
}

interface UsageTotalsCardProps {
  usage: UsageTotals | null;
  label: string;
  testId?: string;
  parts?: UsagePart[];
  hitRate?: number | null;
}

/** Headline spend with a token breakdown, its named parts and what the cache saved. */
export function UsageTotalsCard({ usage, label, testId, parts = [], hitRate }: UsageTotalsCardProps) {
  const shown = parts.filter((part) => part.usage !== null);
  const decimals = moneyDecimals(costsOf([usage, ...shown.map((part) => part.usage)]));
  return (
    <div className="rounded-xl border border-line bg-panel p-4">
      <div className="text-xs text-muted">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums">
        <CostFigureText figure={usage} decimals={decimals} testId={testId} />
      </div>
      {shown.length > 0 ? (
        <dl className="mt-2 space-y-0.5 text-xs">
          {shown.map((part) => (
            <div key={part.testId} className="flex justify-between gap-3" data-testid={part.testId}>
              <dt className="text-muted">{part.label}</dt>
              <dd className="tabular-nums">
                <CostFigureText figure={part.usage} decimals={decimals} />
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {usage ? (
        <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-4">
          <TokenStat label="Input" value={usage.inputTokens} />
          <TokenStat label="Cached" value={usage.cachedInputTokens} />
          <TokenStat label="Output" value={usage.outputTokens} />
          <TokenStat label="Reasoning" value={usage.reasoningTokens} />
          <TokenStat label="Requests" value={usage.requests} />
          <TokenStat label="Total tokens" value={usage.totalTokens} />
        </dl>
      ) : (
        <p className="mt-2 text-xs text-muted">No usage recorded yet.</p>
      )}
      <p className="mt-2 text-xs text-muted tabular-nums empty:hidden">
        <CacheSummary usage={usage} hitRate={hitRate} testId={testId ? `${testId}-cache` : undefined} />
      </p>
      {usage?.estimated ? <p className="mt-2 text-[11px] text-muted">Some counts are estimated with a tokenizer.</p> : null}
    </div>
  );
}

function TokenStat({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <dt className="text-muted">{label}</dt>
      <dd className="font-medium tabular-nums">{formatTokens(value)}</dd>
    </div>
  );
}
