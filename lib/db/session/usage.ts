import type { UsageCounts, UsageSums } from "../../usage/totals.ts";
import type { Sql } from "../sql-store.ts";
import { walk } from "./paths.ts";
import { num, optStr, str } from "./rows.ts";

/** A ledger row to store: counts, cost and the price snapshot it was computed with. */
export interface NewUsage extends UsageCounts {
  purpose: string;
  /** "turn" (counted along paths) or "conversation" (overhead such as the title, counted once). */
  scope: "turn" | "conversation";
  model: string | null;
  estimated: boolean;
  costMicros: number | null;
  inputPricePerMillion: number | null;
  cachedPricePerMillion: number | null;
  outputPricePerMillion: number | null;
  priceFrom: string | null;
  /** What cached input saved at this row's prices. */
  cacheSavingsMicros: number;
}

const INSERT_COLUMNS = `"turnId", "conversationId", "userId", "firstOfTurn", "scope", "purpose", "model", "requests", "inputTokens",
  "cachedInputTokens", "outputTokens", "reasoningTokens", "estimated", "costMicros", "inputPricePerMillion", "cachedPricePerMillion",
  "outputPricePerMillion", "priceFrom", "cacheSavingsMicros", "createdAt"`;

/** Marks a turn's first usage row (one index probe at insert, so totals count turns without COUNT(DISTINCT)). */
const FIRST_OF_TURN = `NOT EXISTS (SELECT 1 FROM "TurnUsage" x WHERE x."turnId" = t."id")`;
const VALUE_MARKS = Array.from({ length: 16 }, () => "?").join(", ");

function usageParams(usage: NewUsage): unknown[] {
  return [
    usage.scope,
    usage.purpose,
    usage.model,
    usage.requests,
    usage.inputTokens,
    usage.cachedInputTokens,
    usage.outputTokens,
    usage.reasoningTokens,
    usage.estimated,
    usage.costMicros,
    usage.inputPricePerMillion,
    usage.cachedPricePerMillion,
    usage.outputPricePerMillion,
    usage.priceFrom,
    usage.cacheSavingsMicros,
    new Date(),
  ];
}

/** Records a call on a turn of a conversation, paid by the conversation's owner; false when it has no such turn. */
export async function insertUsageOnTurn(sql: Sql, args: { turnId: string; conversationId: string; usage: NewUsage }): Promise<boolean> {
  const changed = await sql.run(
    `INSERT INTO "TurnUsage" (${INSERT_COLUMNS})
     SELECT t."id", t."conversationId", c."userId", ${FIRST_OF_TURN}, ${VALUE_MARKS}
     FROM "Turn" t JOIN "Conversation" c ON c."id" = t."conversationId"
     WHERE t."id" = ? AND t."conversationId" = ?`,
    [...usageParams(args.usage), args.turnId, args.conversationId],
  );
  return changed > 0;
}

/**
 * Records a call on the head of a conversation's active branch in one statement; false when the branch is empty. When
 * the head is a compaction node, only compaction usage goes on it: the rest belongs to the turn that ran before it.
 */
export async function insertUsageOnActiveHead(sql: Sql, args: { conversationId: string; usage: NewUsage }): Promise<boolean> {
  const changed = await sql.run(
    `INSERT INTO "TurnUsage" (${INSERT_COLUMNS})
     SELECT t."id", t."conversationId", c."userId", ${FIRST_OF_TURN}, ${VALUE_MARKS}
     FROM "Conversation" c JOIN "Branch" b ON b."id" = c."activeBranchId" JOIN "Turn" h ON h."id" = b."headTurnId"
     JOIN "Turn" t ON t."id" = CASE WHEN h."kind" = 'compaction' AND h."parentId" IS NOT NULL AND ? <> 'compaction' THEN h."parentId" ELSE h."id" END
     WHERE c."id" = ?`,
    [...usageParams(args.usage), args.usage.purpose, args.conversationId],
  );
  return changed > 0;
}

/** An unpriced row counts each of its requests (at least one) as a call. */
const UNPRICED_CALLS = `CASE WHEN u."requests" > 1 THEN u."requests" ELSE 1 END`;

/** The sums of a set of rows: plain sums only, so a long conversation's total costs what a raw SUM costs. */
export const USAGE_SUMS = `COUNT(u."id") AS "rows", COALESCE(SUM(CASE WHEN u."firstOfTurn" THEN 1 ELSE 0 END), 0) AS "turns",
  COALESCE(SUM(u."requests"), 0) AS "requests", COALESCE(SUM(u."inputTokens"), 0) AS "inputTokens",
  COALESCE(SUM(u."cachedInputTokens"), 0) AS "cachedInputTokens", COALESCE(SUM(u."outputTokens"), 0) AS "outputTokens",
  COALESCE(SUM(u."reasoningTokens"), 0) AS "reasoningTokens", COALESCE(SUM(u."costMicros"), 0) AS "costMicros",
  COUNT(u."id") - COUNT(u."costMicros") AS "unpricedRows",
  COALESCE(SUM(u."cacheSavingsMicros"), 0) AS "cacheSavingsMicros",
  COALESCE(SUM(CASE WHEN u."estimated" THEN 1 ELSE 0 END), 0) AS "estimatedRows"`;

export function toUsageSums(row: Record<string, unknown> | undefined, unpriced: { calls: number; models: string[] } = { calls: 0, models: [] }): UsageSums {
  return {
    rows: num(row?.rows),
    turns: num(row?.turns),
    requests: num(row?.requests),
    inputTokens: num(row?.inputTokens),
    cachedInputTokens: num(row?.cachedInputTokens),
    outputTokens: num(row?.outputTokens),
    reasoningTokens: num(row?.reasoningTokens),
    costMicros: num(row?.costMicros),
    unpricedCalls: unpriced.calls,
    unpricedModels: unpriced.models,
    cacheSavingsMicros: num(row?.cacheSavingsMicros),
    estimatedRows: num(row?.estimatedRows),
  };
}

/** The models behind unpriced rows, sorted ("unknown" for none named). */
export function toUnpricedModels(rows: { model?: unknown }[]): string[] {
  return [...new Set(rows.map((row) => optStr(row.model) ?? "unknown"))].sort();
}

/**
 * Sums of the rows a query selects (`from` ends in a WHERE clause over `u`). Unpriced calls and their models are
 * read by a second statement only when there are unpriced rows, so a fully priced total stays plain sums.
 */
async function sumRows(sql: Sql, query: { prefix?: string; from: string; params: unknown[] }): Promise<UsageSums> {
  const prefix = query.prefix ?? "";
  const rows = await sql.all(`${prefix} SELECT ${USAGE_SUMS} ${query.from}`, query.params);
  if (num(rows[0]?.unpricedRows) === 0) return toUsageSums(rows[0]);
  const unpriced = await sql.all(
    `${prefix} SELECT u."model", SUM(${UNPRICED_CALLS}) AS "calls" ${query.from} AND u."costMicros" IS NULL GROUP BY u."model"`,
    query.params,
  );
  return toUsageSums(rows[0], { calls: unpriced.reduce((sum, row) => sum + num(row.calls), 0), models: toUnpricedModels(unpriced) });
}

/**
 * Every ledger row of a conversation (what was really paid, each call once, deleted turns and branches included):
 * one indexed scan; with `userId`, only when the conversation is that user's (in the same statement).
 */
export async function conversationUsageSums(sql: Sql, args: { conversationId: string; userId?: string }): Promise<UsageSums> {
  return args.userId === undefined
    ? sumRows(sql, { from: `FROM "TurnUsage" u WHERE u."conversationId" = ?`, params: [args.conversationId] })
    : sumRows(sql, {
        from: `FROM "TurnUsage" u WHERE u."conversationId" = ? AND EXISTS (SELECT 1 FROM "Conversation" c WHERE c."id" = ? AND c."userId" = ?)`,
        params: [args.conversationId, args.conversationId, args.userId],
      });
}

/** A conversation's ledger split three ways: calls of turns that exist, conversation overhead, calls of deleted turns. */
export interface ConversationUsageParts {
  live: UsageSums;
  overhead: UsageSums;
  deleted: UsageSums;
}

/** The parts of a conversation's ledger (see ConversationUsageParts). */
export async function conversationUsageParts(sql: Sql, args: { conversationId: string }): Promise<ConversationUsageParts> {
  const base = `FROM "TurnUsage" u WHERE u."conversationId" = ?`;
  const [live, overhead, deleted] = await Promise.all([
    sumRows(sql, { from: `${base} AND u."scope" = 'turn' AND u."turnId" IS NOT NULL`, params: [args.conversationId] }),
    sumRows(sql, { from: `${base} AND u."scope" = 'conversation'`, params: [args.conversationId] }),
    sumRows(sql, { from: `${base} AND u."scope" = 'turn' AND u."turnId" IS NULL`, params: [args.conversationId] }),
  ]);
  return { live, overhead, deleted };
}

/** Turn-scoped usage summed over the path ending at a turn (overhead such as the title is not inherited). */
export async function pathUsageSums(sql: Sql, args: { headTurnId: string | null }): Promise<UsageSums> {
  if (!args.headTurnId) return toUsageSums(undefined);
  const path = walk({ turnId: args.headTurnId });
  return sumRows(sql, { prefix: path.sql, from: `FROM path JOIN "TurnUsage" u ON u."turnId" = path."id" WHERE u."scope" = 'turn'`, params: path.params });
}

/** One ledger row of a turn: one model call (or one accumulated run) with its purpose. */
export interface UsageLine {
  id: number;
  turnId: string;
  purpose: string;
  scope: "turn" | "conversation";
  model: string | null;
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costMicros: number | null;
  cacheSavingsMicros: number;
  estimated: boolean;
  createdAt: Date;
}

export function toUsageLine(row: Record<string, unknown>): UsageLine {
  return {
    id: num(row.id),
    turnId: str(row.turnId),
    purpose: str(row.purpose),
    scope: row.scope === "conversation" ? "conversation" : "turn",
    model: optStr(row.model),
    requests: num(row.requests),
    inputTokens: num(row.inputTokens),
    cachedInputTokens: num(row.cachedInputTokens),
    outputTokens: num(row.outputTokens),
    reasoningTokens: num(row.reasoningTokens),
    costMicros: row.costMicros === null || row.costMicros === undefined ? null : num(row.costMicros),
    cacheSavingsMicros: num(row.cacheSavingsMicros),
    estimated: row.estimated === true || Number(row.estimated) === 1,
    createdAt: row.createdAt instanceof Date ? row.createdAt : new Date(String(row.createdAt)),
  };
}

export const USAGE_LINE_COLUMNS = `u."id", u."turnId", u."purpose", u."scope", u."model", u."requests", u."inputTokens", u."cachedInputTokens",
  u."outputTokens", u."reasoningTokens", u."costMicros", u."estimated", u."createdAt", u."cacheSavingsMicros"`;

/**
 * Every ledger row of the turns on a path, in the order recorded: turn calls, and the overhead rows of
 * `conversationId` (marked by scope) — a fork does not list the original's title call as its own.
 */
export async function pathUsageLines(sql: Sql, args: { headTurnId: string | null; conversationId: string }): Promise<UsageLine[]> {
  if (!args.headTurnId) return [];
  const path = walk({ turnId: args.headTurnId });
  const rows = await sql.all(
    `${path.sql} SELECT ${USAGE_LINE_COLUMNS} FROM path JOIN "TurnUsage" u ON u."turnId" = path."id"
     WHERE u."scope" = 'turn' OR u."conversationId" = ? ORDER BY u."id" ASC`,
    [...path.params, args.conversationId],
  );
  return rows.map(toUsageLine);
}

/** The ledger rows of one turn of a conversation. */
export async function turnUsageLines(sql: Sql, args: { turnId: string; conversationId: string }): Promise<UsageLine[]> {
  const rows = await sql.all(`SELECT ${USAGE_LINE_COLUMNS} FROM "TurnUsage" u WHERE u."turnId" = ? AND u."conversationId" = ? ORDER BY u."id" ASC`, [
    args.turnId,
    args.conversationId,
  ]);
  return rows.map(toUsageLine);
}
