import fs from "node:fs";
import { z } from "zod";
import builtInTable from "./price-table.json" with { type: "json" };

/** Micro-dollars per 1M tokens (integers, so sums are exact). */
export interface ModelPrice {
  inputPerMillion: number;
  cachedPerMillion: number;
  outputPerMillion: number;
  effective: string;
}

export interface TokenCounts {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

const PriceEntry = z.object({
  input: z.number().nonnegative(),
  cachedInput: z.number().nonnegative().optional(),
  output: z.number().nonnegative(),
  effective: z.string().default("unknown"),
});
const PriceFile = z.object({ models: z.record(z.string(), PriceEntry) });
type PriceFile = z.infer<typeof PriceFile>;

const toMicros = (dollarsPerMillion: number) => Math.round(dollarsPerMillion * 1_000_000);

function toTable(file: PriceFile): Map<string, ModelPrice> {
  const table = new Map<string, ModelPrice>();
  for (const [model, entry] of Object.entries(file.models)) {
    table.set(model, {
      inputPerMillion: toMicros(entry.input),
      cachedPerMillion: toMicros(entry.cachedInput ?? entry.input),
      outputPerMillion: toMicros(entry.output),
      effective: entry.effective,
    });
  }
  return table;
}

let cached: { source: string | undefined; table: Map<string, ModelPrice> } | undefined;

/** The price table: built-in prices, overridden model by model by the JSON file in FORKLINE_PRICES_FILE. */
export function priceTable(): Map<string, ModelPrice> {
  const source = process.env.FORKLINE_PRICES_FILE;
  if (cached && cached.source === source) return cached.table;
  const table = toTable(PriceFile.parse(builtInTable));
  if (source) {
    const parsed = PriceFile.safeParse(JSON.parse(fs.readFileSync(source, "utf8")));
    if (!parsed.success) throw new Error(`FORKLINE_PRICES_FILE ${source}: ${parsed.error.message}`);
    for (const [model, price] of toTable(parsed.data)) table.set(model, price);
  }
  cached = { source, table };
  return table;
}

/** The price of a model, also matching dated snapshots ("gpt-4o-2024-08-06" → "gpt-4o"); null when unknown. */
export function priceFor(model: string | null | undefined): ModelPrice | null {
  if (!model) return null;
  const table = priceTable();
  const exact = table.get(model);
  if (exact) return exact;
  const undated = model.replace(/-\d{4}-\d{2}-\d{2}$/, "");
  return table.get(undated) ?? null;
}

/** Cost in integer micro-dollars; cached input tokens are part of input tokens and billed at the cached price. */
export function costMicros(counts: TokenCounts, price: ModelPrice): number {
  const cachedTokens = Math.min(counts.cachedInputTokens, counts.inputTokens);
  const uncached = counts.inputTokens - cachedTokens;
  const total = uncached * price.inputPerMillion + cachedTokens * price.cachedPerMillion + counts.outputTokens * price.outputPerMillion;
  return Math.round(total / 1_000_000);
}
