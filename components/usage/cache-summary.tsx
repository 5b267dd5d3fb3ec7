import type { UsageTotals } from "@/lib/api-types";
import { formatMoney, formatPercent } from "@/lib/client/format";
import { cacheHitRate } from "@/lib/usage/totals";

/** "cache hit 42% · saved $0.0012" when some input came from the cache; nothing otherwise. */
export function CacheSummary({ usage, hitRate, testId }: { usage: UsageTotals | null; hitRate?: number | null; testId?: string }) {
  if (!usage || usage.cachedInputTokens === 0) return null;
  const rate = hitRate ?? cacheHitRate(usage);
  return (
    <span data-testid={testId} title="Cached input tokens ÷ input tokens, and what the cached price saved">
      cache hit {rate === null ? "—" : formatPercent(rate)} · saved {formatMoney(usage.cacheSavingsMicros)}
    </span>
  );
}
