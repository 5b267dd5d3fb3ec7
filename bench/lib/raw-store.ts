import type Database from "better-sqlite3";
import { newId } from "@/lib/session/ids";

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

const ACTIVE_HEAD_SQL = `
  SELECT b."id" AS "branchId", b."headTurnId" AS "headTurnId", t."depth" AS "depth"
  FROM "Conversation" c JOIN "Branch" b ON b."id" = c."activeBranchId" LEFT JOIN "Turn" t ON t."id" = b."headTurnId"
  WHERE c."id" = ?`;

/** The baseline: the same reads and writes as PrismaSession, as prepared better-sqlite3 statements. */
export class RawStore {
  readonly #activeHead: Database.Statement;
  readonly #pathItems: Database.Statement;
  readonly #insertTurn: Database.Statement;
  readonly #insertItem: Database.Statement;
  readonly #updateBranch: Database.Statement;
  readonly #insertUsage: Database.Statement;
  readonly #append: Database.Transaction<(conversationId: string, items: RawItem[], userText: string, usage: RawUsage) => void>;

  constructor(raw: Database.Database) {
    this.#activeHead = raw.prepare(ACTIVE_HEAD_SQL);
    this.#pathItems = raw.prepare(PATH_ITEMS_SQL);
    this.#insertTurn = raw.prepare(
      `INSERT INTO "Turn" ("id", "conversationId", "parentId", "depth", "status", "userText", "itemCount", "createdAt", "completedAt")
       VALUES (?, ?, ?, ?, 'completed', ?, ?, ?, ?)`,
    );
    this.#insertItem = raw.prepare(`INSERT INTO "Item" ("turnId", "position", "role", "type", "content") VALUES (?, ?, ?, ?, ?)`);
    this.#updateBranch = raw.prepare(`UPDATE "Branch" SET "headTurnId" = ?, "updatedAt" = ? WHERE "id" = ?`);
    this.#insertUsage = raw.prepare(
      `INSERT INTO "TurnUsage" ("turnId", "purpose", "model", "requests", "inputTokens", "cachedInputTokens", "outputTokens",
         "reasoningTokens", "estimated", "costMicros", "inputPricePerMillion", "cachedPricePerMillion", "outputPricePerMillion", "createdAt")
       VALUES (?, 'turn', ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
    );
    this.#append = raw.transaction((conversationId: string, items: RawItem[], userText: string, usage: RawUsage) => {
      const head = this.#activeHead.get(conversationId) as ActiveHead | undefined;
      if (!head) throw new Error(`conversation ${conversationId} not found`);
      const now = new Date().toISOString();
      const turnId = newId();
      this.#insertTurn.run(turnId, conversationId, head.headTurnId, (head.depth ?? 0) + 1, userText, items.length, now, now);
      items.forEach((item, position) => this.#insertItem.run(turnId, position, item.role, item.type, item.content));
      this.#updateBranch.run(turnId, now, head.branchId);
      this.#insertUsage.run(
        turnId,
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

  /** One turn (its items, branch head and usage row) appended to the active branch in one immediate transaction. */
  appendTurn(conversationId: string, items: RawItem[], userText: string, usage: RawUsage): void {
    this.#append.immediate(conversationId, items, userText, usage);
  }
}
