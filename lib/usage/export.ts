import { stringify } from "csv-stringify/sync";
import type { LedgerRow } from "@/lib/db/ledger";
import { addTotals, rowTotals, type UsageTotals } from "./totals";

/** How the usage export groups the ledger. */
export type UsageExportGroup = "conversation" | "model" | "day" | "call";

/** One table of the export: column names and one record per row (also the JSON form). */
export interface UsageTable {
  group: UsageExportGroup;
  from: string;
  to: string;
  columns: string[];
  rows: Record<string, string | number | boolean | null>[];
}

/** Exact dollars of integer micro-dollars ("0.000490"): a spreadsheet sums them without rounding. */
const dollars = (micros: number) => (micros / 1_000_000).toFixed(6);

const TOTAL_COLUMNS = ["requests", "input_tokens", "cached_input_tokens", "output_tokens", "reasoning_tokens", "known_cost_micros", "known_cost_usd", "unpriced_calls", "unpriced_models", "estimated"];

function totalCells(usage: UsageTotals): Record<string, string | number | boolean> {
  return {
    requests: usage.requests,
    input_tokens: usage.inputTokens,
    cached_input_tokens: usage.cachedInputTokens,
    output_tokens: usage.outputTokens,
    reasoning_tokens: usage.reasoningTokens,
    known_cost_micros: usage.costMicros,
    known_cost_usd: dollars(usage.costMicros),
    unpriced_calls: usage.unpricedCalls,
    unpriced_models: usage.unpricedModels.join(" "),
    estimated: usage.estimated,
  };
}

function grouped(rows: LedgerRow[], key: (row: LedgerRow) => string): [string, LedgerRow, UsageTotals][] {
  const groups = new Map<string, [LedgerRow, UsageTotals]>();
  for (const row of rows) {
    const group = key(row);
    const seen = groups.get(group);
    groups.set(group, seen ? [seen[0], addTotals(seen[1], rowTotals(row))] : [row, rowTotals(row)]);
  }
  return [...groups].map(([group, [first, usage]]) => [group, first, usage]);
}

/** The ledger rows of a range as one table of the chosen grouping. */
export function usageTable(rows: LedgerRow[], group: UsageExportGroup, range: { from: string; to: string }): UsageTable {
  const base = { group, from: range.from, to: range.to };
  if (group === "call") {
    return {
      ...base,
      columns: ["time", "conversation_id", "conversation_title", "conversation_deleted", "turn_id", "turn_deleted", "purpose", "overhead", "model",
        "requests", "input_tokens", "cached_input_tokens", "output_tokens", "reasoning_tokens", "cost_micros", "cost_usd",
        "input_price_per_million_micros", "cached_price_per_million_micros", "output_price_per_million_micros", "price_from", "estimated"],
      rows: rows.map((row) => ({
        time: row.createdAt.toISOString(),
        conversation_id: row.conversationId,
        conversation_title: row.conversationTitle,
        conversation_deleted: !row.conversationExists,
        turn_id: row.turnId,
        turn_deleted: row.turnId === null && row.scope === "turn",
        purpose: row.purpose,
        overhead: row.scope === "conversation",
        model: row.model,
        requests: row.requests,
        input_tokens: row.inputTokens,
        cached_input_tokens: row.cachedInputTokens,
        output_tokens: row.outputTokens,
        reasoning_tokens: row.reasoningTokens,
        // Blank, never 0, when the call had no known price.
        cost_micros: row.costMicros,
        cost_usd: row.costMicros === null ? null : dollars(row.costMicros),
        input_price_per_million_micros: row.inputPricePerMillion,
        cached_price_per_million_micros: row.cachedPricePerMillion,
        output_price_per_million_micros: row.outputPricePerMillion,
        price_from: row.priceFrom,
        estimated: row.estimated,
      })),
    };
  }
  if (group === "conversation") {
    return {
      ...base,
      columns: ["conversation_id", "conversation_title", "conversation_deleted", ...TOTAL_COLUMNS],
      rows: grouped(rows, (row) => row.conversationId).map(([id, first, usage]) => ({
        conversation_id: id,
        conversation_title: first.conversationTitle,
        conversation_deleted: !first.conversationExists,
        ...totalCells(usage),
      })),
    };
  }
  if (group === "model") {
    return { ...base, columns: ["model", ...TOTAL_COLUMNS], rows: grouped(rows, (row) => row.model ?? "unknown").map(([model, , usage]) => ({ model, ...totalCells(usage) })) };
  }
  return {
    ...base,
    columns: ["date", ...TOTAL_COLUMNS],
    rows: grouped(rows, (row) => row.createdAt.toISOString().slice(0, 10)).map(([date, , usage]) => ({ date, ...totalCells(usage) })),
  };
}

/** A table as CSV with a header row; null cells are empty. */
export function toCsv(table: UsageTable): string {
  return stringify(table.rows, { header: true, columns: table.columns, cast: { boolean: (value) => (value ? "true" : "false") } });
}
