import type { AgentInputItem } from "@openai/agents";
import type { Db } from "@/lib/db/create-client";
import type { UsageCounts } from "@/lib/session/usage-counts";

/**
 * The tables of the simplest Prisma session (the shape of openai-agents-js `examples/memory`'s Prisma session): items
 * with a position per session, and for the storage comparison one usage row per turn. Not part of the app's schema.
 */
export const SIMPLE_TABLES_SQL = [
  `CREATE TABLE IF NOT EXISTS "SimpleItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sessionId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "item" TEXT NOT NULL)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS "SimpleItem_sessionId_position_key" ON "SimpleItem"("sessionId", "position")`,
  `CREATE TABLE IF NOT EXISTS "SimpleUsage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sessionId" TEXT NOT NULL,
    "model" TEXT,
    "requests" INTEGER NOT NULL,
    "inputTokens" INTEGER NOT NULL,
    "cachedInputTokens" INTEGER NOT NULL,
    "outputTokens" INTEGER NOT NULL,
    "reasoningTokens" INTEGER NOT NULL,
    "costMicros" INTEGER)`,
  `CREATE INDEX IF NOT EXISTS "SimpleUsage_sessionId_idx" ON "SimpleUsage"("sessionId")`,
];

/** The tables that belong to the simple session (for telling its bytes from Forkline's). */
export const SIMPLE_TABLES = ["SimpleItem", "SimpleUsage"];

/** Creates the simple session's tables through the app's Prisma client. */
export async function createSimpleTables(db: Db): Promise<void> {
  for (const sql of SIMPLE_TABLES_SQL) await db.$executeRawUnsafe(sql);
}

const NEXT_POSITION_SQL = `SELECT COALESCE(MAX("position"), 0) AS "last" FROM "SimpleItem" WHERE "sessionId" = ?`;
/** The simple session's history read (session id, limit). */
export const SIMPLE_LATEST_ITEMS_SQL = `SELECT "item" FROM "SimpleItem" WHERE "sessionId" = ? ORDER BY "position" DESC LIMIT ?`;

/**
 * The simplest possible Prisma session on SQLite, a baseline for Forkline's: no branches, no turns, no usage. `addItems`
 * is one interactive transaction reading the last position and inserting every item in one statement (the example's
 * aggregate + `createMany`); `getItems(limit)` reads the newest items by position. Raw SQL through the app's own Prisma
 * client (same client, same adapter), since the app's generated client has no model for these tables.
 */
export class SimplePrismaSession {
  constructor(
    readonly db: Db,
    readonly sessionId: string,
  ) {}

  /** Appends items after the session's last position, in one transaction. */
  async addItems(items: readonly AgentInputItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.db.$transaction(async (tx) => {
      const [row] = await tx.$queryRawUnsafe<{ last: number | bigint }[]>(NEXT_POSITION_SQL, this.sessionId);
      const last = Number(row?.last ?? 0);
      const values = items.map(() => "(?, ?, ?)").join(", ");
      const params = items.flatMap((item, index) => [this.sessionId, last + index + 1, JSON.stringify(item)]);
      await tx.$executeRawUnsafe(`INSERT INTO "SimpleItem" ("sessionId", "position", "item") VALUES ${values}`, ...params);
    });
  }

  /** The newest `limit` items, oldest first. */
  async getItems(limit: number): Promise<AgentInputItem[]> {
    const rows = await this.db.$queryRawUnsafe<{ item: string }[]>(SIMPLE_LATEST_ITEMS_SQL, this.sessionId, limit);
    return rows.reverse().map((row) => JSON.parse(row.item) as AgentInputItem);
  }

  /** Stores one usage row (used only to give the storage comparison a usage row per turn). */
  async addUsage(counts: UsageCounts, model: string, costMicros: number | null): Promise<void> {
    await this.db.$executeRawUnsafe(
      `INSERT INTO "SimpleUsage" ("sessionId", "model", "requests", "inputTokens", "cachedInputTokens", "outputTokens", "reasoningTokens", "costMicros")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      this.sessionId,
      model,
      counts.requests,
      counts.inputTokens,
      counts.cachedInputTokens,
      counts.outputTokens,
      counts.reasoningTokens,
      costMicros,
    );
  }
}

/** Appends `turns` turns (user + assistant items from `itemsOf`) to a simple session, `batch` turns per `addItems`. */
export async function seedSimpleTurns(session: SimplePrismaSession, turns: number, itemsOf: (n: number) => AgentInputItem[], batch = 250): Promise<void> {
  for (let start = 1; start <= turns; start += batch) {
    const items: AgentInputItem[] = [];
    for (let n = start; n < Math.min(turns + 1, start + batch); n += 1) items.push(...itemsOf(n));
    await session.addItems(items);
  }
}
