/** The q-quantile (0 ≤ q ≤ 1) of a non-empty sample, interpolating between neighbours. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error("quantile of an empty sample");
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] ?? 0;
  const high = sorted[upper] ?? low;
  return low + (high - low) * (position - lower);
}

/** The median of a non-empty sample. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Median with the interquartile range, the spread reported next to every figure. */
export interface Summary {
  median: number;
  p25: number;
  p75: number;
  n: number;
}

/** Median, quartiles and count of a non-empty sample. */
export function summarize(values: readonly number[]): Summary {
  return { median: median(values), p25: quantile(values, 0.25), p75: quantile(values, 0.75), n: values.length };
}
