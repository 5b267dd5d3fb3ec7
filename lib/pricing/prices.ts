import fs from "node:fs";
import { z } from "zod";
import builtInTable from "./price-table.json" with { type: "json" };

/** Micro-dollars per 1M tokens (integers, so sums are exact), in force from the UTC day `from` (YYYY-MM-DD). */
export interface ModelPrice {
  inputPerMillion: number;
  cachedPerMillion: number;
  outputPerMillion: number;
  from: string;
}

export interface TokenCounts {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

const Dollars = z.number().nonnegative();
const Day = z.iso.date({ error: "must be a YYYY-MM-DD date" });

const DatedPrice = z.strictObject({ from: Day, input: Dollars, cachedInput: Dollars.optional(), output: Dollars });
const PriceList = z
  .array(DatedPrice)
  .min(1)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach(({ from }, index) => {
      if (seen.has(from)) ctx.addIssue({ code: "custom", message: `duplicate from date ${from}`, path: [index, "from"] });
      seen.add(from);
    });
  })
  .transform((list) => list.toSorted((a, b) => (a.from < b.from ? -1 : 1)));

// The pre-history form: one price, `effective` read as `from`. A `from` here is refused rather than silently ignored.
const SinglePrice = z
  .object({
    input: Dollars,
    cachedInput: Dollars.optional(),
    output: Dollars,
    effective: Day.default("1970-01-01"),
    from: z.never({ error: "a single price takes `effective`; dated prices are a list [{ from, … }]" }).optional(),
  })
  .transform(({ effective, input, cachedInput, output }) => [{ from: effective, input, cachedInput, output }]);

// Chosen by shape, so an error points into the form that was meant instead of "matches neither".
const ModelPrices = z.unknown().transform((value, ctx) => {
  const parsed = (Array.isArray(value) ? PriceList : SinglePrice).safeParse(value);
  if (parsed.success) return parsed.data;
  for (const { message, path } of parsed.error.issues) ctx.addIssue({ code: "custom", message, path, input: value });
  return z.NEVER;
});

const PriceFile = z.object({ models: z.record(z.string(), ModelPrices) });

const toMicros = (dollarsPerMillion: number) => Math.round(dollarsPerMillion * 1_000_000);

function toTable(json: unknown, name: string): Map<string, ModelPrice[]> {
  const parsed = PriceFile.safeParse(json);
  if (!parsed.success) throw new Error(`Invalid price file ${name}:\n${z.prettifyError(parsed.error)}`);
  const table = new Map<string, ModelPrice[]>();
  for (const [model, list] of Object.entries(parsed.data.models)) {
    table.set(
      model,
      list.map((entry) => ({
        inputPerMillion: toMicros(entry.input),
        cachedPerMillion: toMicros(entry.cachedInput ?? entry.input),
        outputPerMillion: toMicros(entry.output),
        from: entry.from,
      })),
    );
  }
  return table;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`Cannot read price file ${file} (FORKLINE_PRICES_FILE): ${(error as Error).message}`, { cause: error });
  }
}

let cached: { source: string | undefined; table: Map<string, ModelPrice[]> } | undefined;

/** Each model's prices, oldest first: the built-in table, a model's whole list replaced by FORKLINE_PRICES_FILE's. */
export function priceTable(): Map<string, ModelPrice[]> {
  const source = process.env.FORKLINE_PRICES_FILE;
  if (cached && cached.source === source) return cached.table;
  const table = toTable(builtInTable, "lib/pricing/price-table.json");
  if (source) for (const [model, list] of toTable(readJson(source), `${source} (FORKLINE_PRICES_FILE)`)) table.set(model, list);
  cached = { source, table };
  return table;
}

/** The price in force on `at`'s UTC day, also matching dated snapshots ("gpt-4o-2024-08-06" → "gpt-4o"); null when unknown then. */
export function priceFor(model: string | null | undefined, at: Date = new Date()): ModelPrice | null {
  if (!model) return null;
  const table = priceTable();
  const list = table.get(model) ?? table.get(model.replace(/-\d{4}-\d{2}-\d{2}$/, ""));
  const day = at.toISOString().slice(0, 10);
  return list?.findLast((price) => price.from <= day) ?? null;
}

/** Cost in integer micro-dollars; cached input tokens are part of input tokens and billed at the cached price. */
export function costMicros(counts: TokenCounts, price: ModelPrice): number {
  const cachedTokens = Math.min(counts.cachedInputTokens, counts.inputTokens);
  const uncached = counts.inputTokens - cachedTokens;
  const total = uncached * price.inputPerMillion + cachedTokens * price.cachedPerMillion + counts.outputTokens * price.outputPerMillion;
  return Math.round(total / 1_000_000);
}
