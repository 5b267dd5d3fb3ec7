// The one usage algebra, from a stored row to the API: plain data, no imports, safe for client code.

/** Token counts of one model call or one run. */
export interface UsageCounts {
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

/** Counts with their cost; `costMicros` is null when some part had no known price. */
export interface UsageTotals extends UsageCounts {
  totalTokens: number;
  costMicros: number | null;
  estimated: boolean;
}

/** A stored usage row's part of the algebra: counts, cost (null = unpriced) and whether it was estimated. */
export interface PricedUsage extends UsageCounts {
  costMicros: number | null;
  estimated: boolean;
}

export const ZERO_TOTALS: UsageTotals = Object.freeze({
  requests: 0,
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  totalTokens: 0,
  costMicros: 0,
  estimated: false,
});

/** Totals of one priced usage. */
export function toTotals(usage: PricedUsage): UsageTotals {
  return {
    requests: usage.requests,
    inputTokens: usage.inputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    outputTokens: usage.outputTokens,
    reasoningTokens: usage.reasoningTokens,
    totalTokens: usage.inputTokens + usage.outputTokens,
    costMicros: usage.costMicros,
    estimated: usage.estimated,
  };
}

/** a + b; the cost is unknown when either cost is. */
export function addUsage(a: PricedUsage, b: PricedUsage): UsageTotals {
  return toTotals({
    requests: a.requests + b.requests,
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
    costMicros: a.costMicros === null || b.costMicros === null ? null : a.costMicros + b.costMicros,
    estimated: a.estimated || b.estimated,
  });
}

/** The sum of usages; null when there are none. */
export function sumUsage(usages: Iterable<PricedUsage>): UsageTotals | null {
  let total: UsageTotals | null = null;
  for (const usage of usages) total = total ? addUsage(total, usage) : toTotals(usage);
  return total;
}

/** The sums SQL returns for a set of rows: counts, the known cost, and how many rows were unpriced or estimated. */
export interface UsageSums extends UsageCounts {
  rows: number;
  turns: number;
  costMicros: number;
  unpricedRows: number;
  estimatedRows: number;
}

/** Totals of summed rows; null when no row was summed. */
export function sumsToTotals(sums: UsageSums): (UsageTotals & { turns: number }) | null {
  if (sums.rows === 0) return null;
  return {
    ...toTotals({ ...sums, costMicros: sums.unpricedRows > 0 ? null : sums.costMicros, estimated: sums.estimatedRows > 0 }),
    turns: sums.turns,
  };
}

/** a − b for sums where b's rows are a subset of a's (a branch's own part = its path − what it inherited). */
export function subtractSums(a: UsageSums, b: UsageSums): UsageSums {
  return {
    rows: a.rows - b.rows,
    turns: a.turns - b.turns,
    requests: a.requests - b.requests,
    inputTokens: a.inputTokens - b.inputTokens,
    cachedInputTokens: a.cachedInputTokens - b.cachedInputTokens,
    outputTokens: a.outputTokens - b.outputTokens,
    reasoningTokens: a.reasoningTokens - b.reasoningTokens,
    costMicros: a.costMicros - b.costMicros,
    unpricedRows: a.unpricedRows - b.unpricedRows,
    estimatedRows: a.estimatedRows - b.estimatedRows,
  };
}
