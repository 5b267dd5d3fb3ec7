import type Database from "better-sqlite3";
import { itemMeta } from "@/lib/session";
import { newId } from "@/lib/session/ids";
import { turnItems } from "./seed";

/** A usage row as stored, price snapshot included. */
export interface RawUsage {
  model: string;
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costMicros: number | null;
  inputPricePerMillion: number | null;
  cachedPricePerMillion: number | null;
  outputPricePerMillion: number | null;
}

/** An item as stored: its columns and JSON. */
export interface RawItem {
  type: string;
  role: string | null;
  content: string;
}

/** The items of turn `n` (see seed.ts) as `addItems` stores them. */
export function rawTurnItems(n: number): RawItem[] {
  return turnItems(n).map((item) => ({ type: itemMeta(item).type, role: itemMeta(item).role, content: JSON.stringify(item) }));
}

interface ActiveHead {
  branchId: string;
  headTurnId: string | null;
  depth: number | null;
}

/** The history read of tree-queries.ts `pathItems`, with positional parameters (head, cap, cap). */
export const PATH_ITEMS_SQL = `
  WITH RECURSIVE path("id", "parentId", "depth", "acc") AS (
    SELECT "id", "parentId", "depth", "itemCount" FROM "Turn" WHERE "id" = ?
    UNION ALL
    SELECT t."id", t."parentId", t."depth", path."acc" + t."itemCount"
    FROM "Turn" t JOIN path ON t."id" = path."parentId"
    WHERE path."acc" < ?
  )
  SELECT i."id", i."turnId", i."position", i."type", i."callId", i."content", path."depth"
  FROM path JOIN "Item" i ON i."turnId" = path."id"
  ORDER BY path."depth" DESC, i."position" DESC
  LIMIT ?`;

export const ACTIVE_HEAD_SQL = `
  SELECT b."id" AS "branchId", b."headTurnId" AS "headTurnId", t."depth" AS "depth"
  FROM "Conversation" c JOIN "Branch" b ON b."id" = c."activeBranchId" LEFT JOIN "Turn" t ON t."id" = b."headTurnId"
  WHERE c."id" = ?`;

/** The simplest honest query for a conversation's usage totals over its usage rows, positional parameter (conversation id). */
export function usageTotalsSql(usageHasConversationId: boolean): string {
  const sums = `COUNT(*) AS "rows", SUM(u."requests") AS "requests", SUM(u."inputTokens") AS "inputTokens", ` +
    `SUM(u."cachedInputTokens") AS "cachedInputTokens", SUM(u."outputTokens") AS "outputTokens", ` +
    `SUM(u."reasoningTokens") AS "reasoningTokens", SUM(u."costMicros") AS "costMicros"`;
  return usageHasConversationId
    ? `SELECT ${sums} FROM "TurnUsage" u WHERE u."conversationId" = ?`
    : `SELECT ${sums} FROM "TurnUsage" u JOIN "Turn" t ON t."id" = u."turnId" WHERE t."conversationId" = ?`;
}

/** A conversation's usage totals as the raw baselines read them. */
export interface RawUsageTotals {
  rows: number;
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costMicros: number | null;
}

/** The totals row with every count as a number. */
export function toUsageTotals(row: Record<string, unknown> | undefined): RawUsageTotals {
  const num = (key: string) => Number(row?.[key] ?? 0);
  return {
    rows: num("rows"),
    requests: num("requests"),
    inputTokens: num("inputTokens"),
    cachedInputTokens: num("cachedInputTokens"),
    outputTokens: num("outputTokens"),
    reasoningTokens: num("reasoningTokens"),
    costMicros: row?.costMicros === null || row?.costMicros === undefined ? null : Number(row.costMicros),
  };
}

/** Whether a SQLite table has a column (the baselines follow the schema they find). */
export function hasColumn(raw: Database.Database, table: string, column: string): boolean {
  return (raw.prepare(`SELECT COUNT(*) AS n FROM pragma_table_info(?) WHERE name = ?`).get(table, column) as { n: number }).n > 0;
}

/** The baseline: the same reads and writes as PrismaSession, as prepared better-sqlite3 statements. */
export class RawStore {
  readonly #activeHead: Database.Statement;
  readonly #pathItems: Database.Statement;
  readonly #insertTurn: Database.Statement;
  readonly #insertItem: Database.Statement;
  readonly #updateBranch: Database.Statement;
  readonly #insertUsage: Database.Statement;
  readonly #usageTotals: Database.Statement;
  /** The SQL of `usageTotals`: with the schema's own `TurnUsage.conversationId` when it has one, else joined through `Turn`. */
  readonly usageTotalsSql: string;
  readonly #append: Database.Transaction<(conversationId: string, items: RawItem[], usage: RawUsage) => void>;

  constructor(raw: Database.Database) {
    this.#activeHead = raw.prepare(ACTIVE_HEAD_SQL);
    this.#pathItems = raw.prepare(PATH_ITEMS_SQL);
    this.#insertTurn = raw.prepare(
      `INSERT INTO "Turn" ("id", "conversationId", "parentId", "depth", "status", "itemCount", "createdAt")
       VALUES (?, ?, ?, ?, 'completed', ?, ?)`,
    );
    this.#insertItem = raw.prepare(`INSERT INTO "Item" ("turnId", "position", "role", "type", "content") VALUES (?, ?, ?, ?, ?)`);
    this.#updateBranch = raw.prepare(`UPDATE "Branch" SET "headTurnId" = ?, "updatedAt" = ? WHERE "id" = ?`);
    // Since the session_v2 schema a usage row also names its conversation; the baseline writes what the schema requires.
    const usageHasConversationId = hasColumn(raw, "TurnUsage", "conversationId");
    const usageColumns = usageHasConversationId ? `"turnId", "conversationId",` : `"turnId",`;
    this.#insertUsage = raw.prepare(
      `INSERT INTO "TurnUsage" (${usageColumns} "purpose", "model", "requests", "inputTokens", "cachedInputTokens", "outputTokens",
         "reasoningTokens", "estimated", "costMicros", "inputPricePerMillion", "cachedPricePerMillion", "outputPricePerMillion", "createdAt")
       VALUES (${usageHasConversationId ? "?, ?," : "?,"} 'turn', ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
    );
    this.usageTotalsSql = usageTotalsSql(usageHasConversationId);
    this.#usageTotals = raw.prepare(this.usageTotalsSql);
    const usageOwner = (turnId: string, conversationId: string) => (usageHasConversationId ? [turnId, conversationId] : [turnId]);
    this.#append = raw.transaction((conversationId: string, items: RawItem[], usage: RawUsage) => {
      const head = this.#activeHead.get(conversationId) as ActiveHead | undefined;
      if (!head) throw new Error(`conversation ${conversationId} not found`);
      const now = new Date().toISOString();
      const turnId = newId();
      this.#insertTurn.run(turnId, conversationId, head.headTurnId, (head.depth ?? 0) + 1, items.length, now);
      items.forEach((item, position) => this.#insertItem.run(turnId, position, item.role, item.type, item.content));
      this.#updateBranch.run(turnId, now, head.branchId);
      this.#insertUsage.run(
        ...usageOwner(turnId, conversationId),
        usage.model,
        usage.requests,
        usage.inputTokens,
        usage.cachedInputTokens,
        usage.outputTokens,
        usage.reasoningTokens,
        usage.costMicros,
        usage.inputPricePerMillion,
        usage.cachedPricePerMillion,
        usage.outputPricePerMillion,
        now,
      );
    });
  }

  /** The newest `limit` items of the conversation's active branch, oldest first, parsed like `getItems`. */
  latestItems(conversationId: string, limit: number): unknown[] {
    const head = this.#activeHead.get(conversationId) as ActiveHead | undefined;
    if (!head?.headTurnId) return [];
    const rows = this.#pathItems.all(head.headTurnId, limit, limit) as { content: string }[];
    return rows.reverse().map((row) => JSON.parse(row.content) as unknown);
  }

  /** The path query alone, for a known head turn. */
  pathItems(headTurnId: string, limit: number): unknown[] {
    return this.#pathItems.all(headTurnId, limit, limit);
  }

  /** The conversation's usage totals (`usageTotalsSql`). */
  usageTotals(conversationId: string): RawUsageTotals {
    return toUsageTotals(this.#usageTotals.get(conversationId) as Record<string, unknown> | undefined);
  }

  /** One turn (its items, branch head and usage row) appended to the active branch in one immediate transaction. */
  appendTurn(conversationId: string, items: RawItem[], usage: RawUsage): void {
    this.#append.immediate(conversationId, items, usage);
  }
}
