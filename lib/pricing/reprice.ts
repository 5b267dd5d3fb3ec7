import { costMicros, priceFor, type ModelPrice, type TokenCounts } from "@/lib/pricing/prices";

export interface Repricing {
  model: string;
  costMicros: number | null;
  price: ModelPrice | null;
}

/** What stored token counts would have cost on `model` at the price in force at `at`: rows rounded one by one as stored, then summed; null cost when `model` has no price then. */
export function repriceUsage(rows: Iterable<TokenCounts>, model: string, at: Date = new Date()): Repricing {
  const price = priceFor(model, at);
  if (!price) return { model, costMicros: null, price: null };
  let total = 0;
  for (const row of rows) total += costMicros(row, price);
  return { model, costMicros: total, price };
}

export interface SnapshotRow {
  inputTokens: number;
  cachedInputTokens: number;
  inputPricePerMillion: number | null;
  cachedPricePerMillion: number | null;
}

/** Micro-dollars caching saved on one stored row at its own price snapshot; 0 when the snapshot is missing. */
export function cacheSavingsMicros(row: SnapshotRow): number {
  if (row.inputPricePerMillion === null || row.cachedPricePerMillion === null) return 0;
  const cachedTokens = Math.min(row.cachedInputTokens, row.inputTokens);
  return Math.round((cachedTokens * (row.inputPricePerMillion - row.cachedPricePerMillion)) / 1_000_000);
}
