import type { UsageTotals } from "@/lib/api-types";
import { formatCost, formatTokens } from "@/lib/client/format";

/** Headline spend with a token breakdown. */
export function UsageTotalsCard({ usage, label, testId }: { usage: UsageTotals | null; label: string; testId?: string }) {
  return (
    <div className="rounded-xl border border-line bg-panel p-4">
      <div className="text-xs text-muted">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {usage ? formatCost(usage.costMicros) : "—"}
        {usage && usage.costMicros === null ? <span className="ml-2 text-xs font-normal text-muted">(cost unknown)</span> : null}
      </div>
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
