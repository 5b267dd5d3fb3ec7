// The one usage algebra, from a ledger row to the API: plain data, no imports, safe for client code.

/** Token counts of one model call or one run. */
export interface UsageCounts {
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

/**
 * Counts with their cost. A total is never unknown as a whole: `costMicros` is the known part (every priced call)
 * and `unpricedCalls` counts the calls with no known price, with the models behind them.
 */
export interface UsageTotals extends UsageCounts {
  totalTokens: number;
  costMicros: number;
  unpricedCalls: number;
  /** Sorted; "unknown" stands for a call that named no model. */
  unpricedModels: string[];
  /** What cached input saved, at each call's own price snapshot. */
  cacheSavingsMicros: number;
  estimated: boolean;
}

/** One ledger row's part of the algebra: counts, cost (null = unpriced), model and what caching saved. */
export interface PricedUsage extends UsageCounts {
  costMicros: number | null;
  model: string | null;
  estimated: boolean;
  cacheSavingsMicros?: number;
}

export const ZERO_TOTALS: UsageTotals = Object.freeze({
  requests: 0,
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  totalTokens: 0,
  costMicros: 0,
  unpricedCalls: 0,
  unpricedModels: [],
  cacheSavingsMicros: 0,
  estimated: false,
});

/** A row with no price counts each of its requests (at least one) as an unpriced call. */
function callsOf(usage: UsageCounts): number {
  return Math.max(usage.requests, 1);
}

/** Totals of one ledger row. */
export function rowTotals(usage: PricedUsage): UsageTotals {
  const unpriced = usage.costMicros === null;
  return {
    requests: usage.requests,
    inputTokens: usage.inputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    outputTokens: usage.outputTokens,
    reasoningTokens: usage.reasoningTokens,
    totalTokens: usage.inputTokens + usage.outputTokens,
    costMicros: usage.costMicros ?? 0,
    unpricedCalls: unpriced ? callsOf(usage) : 0,
    unpricedModels: unpriced ? [usage.model ?? "unknown"] : [],
    cacheSavingsMicros: usage.cacheSavingsMicros ?? 0,
    estimated: usage.estimated,
  };
}

function mergeModels(a: string[], b: string[]): string[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return [...new Set([...a, ...b])].sort();
}

/** a + b. */
export function addTotals(a: UsageTotals, b: UsageTotals): UsageTotals {
  return {
    requests: a.requests + b.requests,
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
    totalTokens: a.totalTokens + b.totalTokens,
    costMicros: a.costMicros + b.costMicros,
    unpricedCalls: a.unpricedCalls + b.unpricedCalls,
    unpricedModels: mergeModels(a.unpricedModels, b.unpricedModels),
    cacheSavingsMicros: a.cacheSavingsMicros + b.cacheSavingsMicros,
    estimated: a.estimated || b.estimated,
  };
}

/** The sum of ledger rows; null when there are none. */
export function sumUsage(usages: Iterable<PricedUsage>): UsageTotals | null {
  let total: UsageTotals | null = null;
  for (const usage of usages) total = total ? addTotals(total, rowTotals(usage)) : rowTotals(usage);
  return total;
}

/** The sum of totals; null when there are none. */
export function sumTotals(totals: Iterable<UsageTotals | null>): UsageTotals | null {
  let sum: UsageTotals | null = null;
  for (const total of totals) if (total) sum = sum ? addTotals(sum, total) : total;
  return sum;
}

/** Share of input tokens served from the cache (0–1); null when there was no input. */
export function cacheHitRate(usage: Pick<UsageCounts, "inputTokens" | "cachedInputTokens">): number | null {
  return usage.inputTokens > 0 ? Math.min(usage.cachedInputTokens, usage.inputTokens) / usage.inputTokens : null;
}

/** The sums SQL returns for a set of rows: counts, the known cost, the unpriced calls and how many rows were estimated. */
export interface UsageSums extends UsageCounts {
  rows: number;
  turns: number;
  costMicros: number;
  unpricedCalls: number;
  unpricedModels: string[];
  cacheSavingsMicros: number;
  estimatedRows: number;
}

export const ZERO_SUMS: UsageSums = Object.freeze({
  rows: 0,
  turns: 0,
  requests: 0,
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  costMicros: 0,
  unpricedCalls: 0,
  unpricedModels: [],
  cacheSavingsMicros: 0,
  estimatedRows: 0,
});

/** Totals of summed rows; null when no row was summed. */
export function sumsToTotals(sums: UsageSums): (UsageTotals & { turns: number }) | null {
  if (sums.rows === 0) return null;
  return {
    requests: sums.requests,
    inputTokens: sums.inputTokens,
    cachedInputTokens: sums.cachedInputTokens,
    outputTokens: sums.outputTokens,
    reasoningTokens: sums.reasoningTokens,
    totalTokens: sums.inputTokens + sums.outputTokens,
    costMicros: sums.costMicros,
    unpricedCalls: sums.unpricedCalls,
    unpricedModels: sums.unpricedModels,
    cacheSavingsMicros: sums.cacheSavingsMicros,
    estimated: sums.estimatedRows > 0,
    turns: sums.turns,
  };
}

/**
 * a − b for sums where b's rows are a subset of a's (a branch's own part = its path − what it inherited). The
 * models behind b's unpriced calls may also be behind a's own ones, so `ownUnpricedModels` names them.
 */
export function subtractSums(a: UsageSums, b: UsageSums, ownUnpricedModels: string[]): UsageSums {
  return {
    rows: a.rows - b.rows,
    turns: a.turns - b.turns,
    requests: a.requests - b.requests,
    inputTokens: a.inputTokens - b.inputTokens,
    cachedInputTokens: a.cachedInputTokens - b.cachedInputTokens,
    outputTokens: a.outputTokens - b.outputTokens,
    reasoningTokens: a.reasoningTokens - b.reasoningTokens,
    costMicros: a.costMicros - b.costMicros,
    unpricedCalls: a.unpricedCalls - b.unpricedCalls,
    unpricedModels: a.unpricedCalls - b.unpricedCalls > 0 ? ownUnpricedModels : [],
    cacheSavingsMicros: a.cacheSavingsMicros - b.cacheSavingsMicros,
    estimatedRows: a.estimatedRows - b.estimatedRows,
  };
}

/** Only the totals of a usage (extra fields such as a session's turn count or a turn's calls dropped). */
export function toTotals(usage: UsageTotals): UsageTotals {
  const { requests, inputTokens, cachedInputTokens, outputTokens, reasoningTokens, totalTokens, costMicros, unpricedCalls, unpricedModels, cacheSavingsMicros, estimated } = usage;
  return { requests, inputTokens, cachedInputTokens, outputTokens, reasoningTokens, totalTokens, costMicros, unpricedCalls, unpricedModels, cacheSavingsMicros, estimated };
}
