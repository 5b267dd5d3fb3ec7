import type { Db, Prisma } from "@/lib/db";

/** A client or an open transaction. */
export type DbLike = Db | Prisma.TransactionClient;

const UNBOUNDED = 2_147_483_647;

export interface PathTurn {
  id: string;
  parentId: string | null;
  conversationId: string;
  depth: number;
  status: string;
  userText: string | null;
  model: string | null;
  itemCount: number;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date;
}

export interface PathItem {
  id: number;
  turnId: string;
  position: number;
  type: string;
  callId: string | null;
  content: string;
  depth: number;
}

const num = (value: unknown) => Number(value);
const date = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));

/** The turns from the root to `headId`, oldest first (crossing into a parent conversation for forks). */
export async function pathTurns(db: DbLike, headId: string | null): Promise<PathTurn[]> {
  if (!headId) return [];
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    WITH RECURSIVE path("id", "parentId") AS (
      SELECT "id", "parentId" FROM "Turn" WHERE "id" = ${headId}
      UNION ALL
      SELECT t."id", t."parentId" FROM "Turn" t JOIN path ON t."id" = path."parentId"
    )
    SELECT t."id", t."parentId", t."conversationId", t."depth", t."status", t."userText", t."model", t."itemCount",
           t."errorCode", t."errorMessage", t."createdAt"
    FROM path JOIN "Turn" t ON t."id" = path."id"
    ORDER BY t."depth" ASC`;
  return rows.map((row) => ({
    id: String(row.id),
    parentId: row.parentId === null ? null : String(row.parentId),
    conversationId: String(row.conversationId),
    depth: num(row.depth),
    status: String(row.status),
    userText: row.userText === null ? null : String(row.userText),
    model: row.model === null ? null : String(row.model),
    itemCount: num(row.itemCount),
    errorCode: row.errorCode === null ? null : String(row.errorCode),
    errorMessage: row.errorMessage === null ? null : String(row.errorMessage),
    createdAt: date(row.createdAt),
  }));
}

function toPathItem(row: Record<string, unknown>): PathItem {
  return {
    id: num(row.id),
    turnId: String(row.turnId),
    position: num(row.position),
    type: String(row.type),
    callId: row.callId === null ? null : String(row.callId),
    content: String(row.content),
    depth: num(row.depth),
  };
}

/**
 * The newest `limit` items on the path ending at `headId`, oldest first. The walk up the tree stops as soon as
 * enough items are collected, so the cost follows `limit`, not the conversation's length.
 */
export async function pathItems(db: DbLike, headId: string | null, limit?: number): Promise<PathItem[]> {
  if (!headId || limit === 0) return [];
  const cap = limit ?? UNBOUNDED;
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    WITH RECURSIVE path("id", "parentId", "depth", "acc") AS (
      SELECT "id", "parentId", "depth", "itemCount" FROM "Turn" WHERE "id" = ${headId}
      UNION ALL
      SELECT t."id", t."parentId", t."depth", path."acc" + t."itemCount"
      FROM "Turn" t JOIN path ON t."id" = path."parentId"
      WHERE path."acc" < ${cap}
    )
    SELECT i."id", i."turnId", i."position", i."type", i."callId", i."content", path."depth"
    FROM path JOIN "Item" i ON i."turnId" = path."id"
    ORDER BY path."depth" DESC, i."position" DESC
    LIMIT ${cap}`;
  return rows.map(toPathItem).reverse();
}

/** The turn at `depth` on the path ending at `headId`, walking up only as far as needed. */
export async function turnAtDepth(db: DbLike, headId: string | null, depth: number): Promise<string | null> {
  if (!headId || depth < 1) return null;
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE path("id", "parentId", "depth") AS (
      SELECT "id", "parentId", "depth" FROM "Turn" WHERE "id" = ${headId}
      UNION ALL
      SELECT t."id", t."parentId", t."depth" FROM "Turn" t JOIN path ON t."id" = path."parentId"
      WHERE path."depth" > ${depth}
    )
    SELECT "id" FROM path WHERE "depth" = ${depth}`;
  return rows[0] ? String(rows[0].id) : null;
}

export interface UsageSums {
  rows: number;
  turns: number;
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costMicros: number;
  unpricedRows: number;
  estimatedRows: number;
}

function toSums(row: Record<string, unknown> | undefined): UsageSums {
  return {
    rows: num(row?.rows ?? 0),
    turns: num(row?.turns ?? 0),
    requests: num(row?.requests ?? 0),
    inputTokens: num(row?.inputTokens ?? 0),
    cachedInputTokens: num(row?.cachedInputTokens ?? 0),
    outputTokens: num(row?.outputTokens ?? 0),
    reasoningTokens: num(row?.reasoningTokens ?? 0),
    costMicros: num(row?.costMicros ?? 0),
    unpricedRows: num(row?.unpricedRows ?? 0),
    estimatedRows: num(row?.estimatedRows ?? 0),
  };
}

/** Usage summed over the path ending at `headId` (each turn once). */
export async function pathUsage(db: DbLike, headId: string | null): Promise<UsageSums> {
  if (!headId) return toSums(undefined);
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    WITH RECURSIVE path("id", "parentId") AS (
      SELECT "id", "parentId" FROM "Turn" WHERE "id" = ${headId}
      UNION ALL
      SELECT t."id", t."parentId" FROM "Turn" t JOIN path ON t."id" = path."parentId"
    )
    SELECT COUNT(u."id") AS "rows", COUNT(DISTINCT u."turnId") AS "turns",
           COALESCE(SUM(u."requests"), 0) AS "requests", COALESCE(SUM(u."inputTokens"), 0) AS "inputTokens",
           COALESCE(SUM(u."cachedInputTokens"), 0) AS "cachedInputTokens",
           COALESCE(SUM(u."outputTokens"), 0) AS "outputTokens", COALESCE(SUM(u."reasoningTokens"), 0) AS "reasoningTokens",
           COALESCE(SUM(u."costMicros"), 0) AS "costMicros",
           SUM(CASE WHEN u."costMicros" IS NULL THEN 1 ELSE 0 END) AS "unpricedRows",
           SUM(CASE WHEN u."estimated" THEN 1 ELSE 0 END) AS "estimatedRows"
    FROM path JOIN "TurnUsage" u ON u."turnId" = path."id"`;
  return toSums(rows[0]);
}

/** Usage summed over every turn a conversation owns (what was really paid, each turn once). */
export async function conversationUsage(db: DbLike, conversationId: string): Promise<UsageSums> {
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT COUNT(u."id") AS "rows", COUNT(DISTINCT u."turnId") AS "turns",
           COALESCE(SUM(u."requests"), 0) AS "requests", COALESCE(SUM(u."inputTokens"), 0) AS "inputTokens",
           COALESCE(SUM(u."cachedInputTokens"), 0) AS "cachedInputTokens",
           COALESCE(SUM(u."outputTokens"), 0) AS "outputTokens", COALESCE(SUM(u."reasoningTokens"), 0) AS "reasoningTokens",
           COALESCE(SUM(u."costMicros"), 0) AS "costMicros",
           SUM(CASE WHEN u."costMicros" IS NULL THEN 1 ELSE 0 END) AS "unpricedRows",
           SUM(CASE WHEN u."estimated" THEN 1 ELSE 0 END) AS "estimatedRows"
    FROM "Turn" t JOIN "TurnUsage" u ON u."turnId" = t."id"
    WHERE t."conversationId" = ${conversationId}`;
  return toSums(rows[0]);
}

/** Turns of a conversation that share a parent with a turn on the path ending at `headId` (plus its root turns). */
export async function pathSiblings(db: DbLike, headId: string | null, conversationId: string): Promise<{ id: string; parentId: string | null }[]> {
  if (!headId) return [];
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    WITH RECURSIVE path("id", "parentId") AS (
      SELECT "id", "parentId" FROM "Turn" WHERE "id" = ${headId}
      UNION ALL
      SELECT t."id", t."parentId" FROM "Turn" t JOIN path ON t."id" = path."parentId"
    )
    SELECT t."id", t."parentId" FROM "Turn" t
    WHERE t."conversationId" = ${conversationId}
      AND (t."parentId" IS NULL OR t."parentId" IN (SELECT "parentId" FROM path WHERE "parentId" IS NOT NULL))
    ORDER BY t."id" ASC`;
  return rows.map((row) => ({ id: String(row.id), parentId: row.parentId === null ? null : String(row.parentId) }));
}

export interface PathUsageRow {
  turnId: string;
  model: string | null;
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costMicros: number | null;
  estimated: boolean;
}

/** Every usage row of the turns on the path ending at `headId`, in the order they were recorded. */
export async function pathUsageRows(db: DbLike, headId: string | null): Promise<PathUsageRow[]> {
  if (!headId) return [];
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    WITH RECURSIVE path("id", "parentId") AS (
      SELECT "id", "parentId" FROM "Turn" WHERE "id" = ${headId}
      UNION ALL
      SELECT t."id", t."parentId" FROM "Turn" t JOIN path ON t."id" = path."parentId"
    )
    SELECT u."turnId", u."model", u."requests", u."inputTokens", u."cachedInputTokens", u."outputTokens",
           u."reasoningTokens", u."costMicros", u."estimated"
    FROM path JOIN "TurnUsage" u ON u."turnId" = path."id"
    ORDER BY u."id" ASC`;
  return rows.map((row) => ({
    turnId: String(row.turnId),
    model: row.model === null ? null : String(row.model),
    requests: num(row.requests),
    inputTokens: num(row.inputTokens),
    cachedInputTokens: num(row.cachedInputTokens),
    outputTokens: num(row.outputTokens),
    reasoningTokens: num(row.reasoningTokens),
    costMicros: row.costMicros === null ? null : num(row.costMicros),
    estimated: row.estimated === true || Number(row.estimated) === 1,
  }));
}

/** Tool-call items (type ending in "_call", with a tool name) on the path ending at `headId`. */
export async function pathToolCalls(db: DbLike, headId: string | null): Promise<{ turnId: string; toolName: string; type: string }[]> {
  if (!headId) return [];
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    WITH RECURSIVE path("id", "parentId") AS (
      SELECT "id", "parentId" FROM "Turn" WHERE "id" = ${headId}
      UNION ALL
      SELECT t."id", t."parentId" FROM "Turn" t JOIN path ON t."id" = path."parentId"
    )
    SELECT i."turnId", i."toolName", i."type" FROM path JOIN "Item" i ON i."turnId" = path."id"
    WHERE i."toolName" IS NOT NULL`;
  return rows
    .map((row) => ({ turnId: String(row.turnId), toolName: String(row.toolName), type: String(row.type) }))
    .filter((row) => row.type.endsWith("_call"));
}

/** As `pathItems`, anchored on a branch so its head needs no separate read (the hot path of `getItems`). */
export async function branchItems(db: DbLike, branchId: string, limit?: number): Promise<PathItem[]> {
  if (limit === 0) return [];
  const cap = limit ?? UNBOUNDED;
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    WITH RECURSIVE path("id", "parentId", "depth", "acc") AS (
      SELECT t."id", t."parentId", t."depth", t."itemCount"
      FROM "Branch" b JOIN "Turn" t ON t."id" = b."headTurnId"
      WHERE b."id" = ${branchId}
      UNION ALL
      SELECT t."id", t."parentId", t."depth", path."acc" + t."itemCount"
      FROM "Turn" t JOIN path ON t."id" = path."parentId"
      WHERE path."acc" < ${cap}
    )
    SELECT i."id", i."turnId", i."position", i."type", i."callId", i."content", path."depth"
    FROM path JOIN "Item" i ON i."turnId" = path."id"
    ORDER BY path."depth" DESC, i."position" DESC
    LIMIT ${cap}`;
  return rows.map(toPathItem).reverse();
}
