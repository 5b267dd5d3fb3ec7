import type { Db } from "./create-client.ts";
import { isStorableDate } from "../validation/bounds.ts";

export interface ConversationRow {
  id: string;
  title: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Escapes LIKE wildcards so a search term matches literally. */
function likePattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function encodeCursor(row: ConversationRow): string {
  return Buffer.from(`${row.updatedAt.toISOString()}|${row.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { updatedAt: Date; id: string } | null {
  const [stamp, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const updatedAt = new Date(stamp ?? "");
  return id && /^[A-Za-z0-9_-]{1,64}$/.test(id) && isStorableDate(updatedAt) ? { updatedAt, id } : null;
}

/** Ids of a user's conversations whose title or any message (any branch) contains `term`. */
async function searchConversationIds(db: Db, userId: string, term: string): Promise<string[]> {
  const pattern = likePattern(term);
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT c."id" FROM "Conversation" c
    WHERE c."userId" = ${userId} AND (
      LOWER(COALESCE(c."title", '')) LIKE ${pattern} ESCAPE '\\'
      OR EXISTS (
        SELECT 1 FROM "Turn" t JOIN "Item" i ON i."turnId" = t."id"
        WHERE t."conversationId" = c."id" AND i."type" = 'message' AND LOWER(i."content") LIKE ${pattern} ESCAPE '\\'
      )
    )`;
  return rows.map((row) => String(row.id));
}

/** The newest turn of a conversation whose user text or any message contains `term`. */
export async function latestMatchingTurnId(db: Db, conversationId: string, term: string): Promise<string | null> {
  const pattern = likePattern(term);
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT t."id" FROM "Turn" t
    WHERE t."conversationId" = ${conversationId} AND (
      EXISTS (SELECT 1 FROM "Item" i WHERE i."turnId" = t."id" AND i."type" = 'message' AND LOWER(i."content") LIKE ${pattern} ESCAPE '\\')
    )
    ORDER BY t."createdAt" DESC, t."id" DESC
    LIMIT 1`;
  return rows[0] ? String(rows[0].id) : null;
}

/** A page of a user's conversations, most recently updated first; `q` searches titles and messages. */
export async function listConversations(args: { db: Db; userId: string; cursor?: string; q?: string; limit: number }) {
  const { db, userId, limit } = args;
  const after = args.cursor ? decodeCursor(args.cursor) : null;
  const matching = args.q ? await searchConversationIds(db, userId, args.q) : null;
  const rows = await db.conversation.findMany({
    where: {
      userId,
      ...(matching ? { id: { in: matching } } : {}),
      ...(after
        ? { OR: [{ updatedAt: { lt: after.updatedAt } }, { updatedAt: after.updatedAt, id: { lt: after.id } }] }
        : {}),
    },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: { id: true, title: true, createdAt: true, updatedAt: true },
  });
  const page = rows.slice(0, limit);
  const nextCursor = rows.length > limit && page.length > 0 ? encodeCursor(page[page.length - 1]!) : null;
  return { rows: page, nextCursor };
}

/** Number of turns of each conversation (every branch). */
export async function conversationTurnCounts(db: Db, ids: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(ids.map((id) => [id, 0]));
  if (ids.length === 0) return counts;
  const turns = await db.turn.groupBy({ by: ["conversationId"], where: { conversationId: { in: ids } }, _count: { _all: true } });
  for (const row of turns) counts.set(row.conversationId, row._count._all);
  return counts;
}

/** A user's conversation row, or null when it does not exist or belongs to someone else. */
export async function getConversationById(args: { db: Db; id: string; userId: string }) {
  return args.db.conversation.findFirst({
    where: { id: args.id, userId: args.userId },
    select: { id: true, title: true, createdAt: true, updatedAt: true, activeBranchId: true, forkedFromConversationId: true, forkedFromTurnId: true },
  });
}

/** Renames a user's conversation; false when it is not theirs. */
export async function renameConversation(args: { db: Db; id: string; userId: string; title: string }): Promise<boolean> {
  const result = await args.db.conversation.updateMany({ where: { id: args.id, userId: args.userId }, data: { title: args.title } });
  return result.count > 0;
}

/** Marks turns whose runner stopped heart-beating as interrupted; returns how many. */
export async function interruptStaleTurns(args: { db: Db; heartbeatBefore: Date; runnerIds?: string[] }): Promise<number> {
  const data = {
    status: "interrupted",
    errorCode: "interrupted",
    errorMessage: "The server stopped while this reply was being written.",
    completedAt: new Date(),
    heartbeatAt: null,
  };
  // A running turn always has a heartbeat (set when it begins, cleared when it ends): both lookups use its index.
  const stale = await args.db.turn.updateMany({ where: { status: "in_progress", heartbeatAt: { lt: args.heartbeatBefore } }, data });
  const orphaned =
    args.runnerIds && args.runnerIds.length > 0
      ? await args.db.turn.updateMany({ where: { status: "in_progress", heartbeatAt: { not: null }, runnerId: { in: args.runnerIds } }, data })
      : { count: 0 };
  return stale.count + orphaned.count;
}

/** Runner ids of turns still in progress (to find the ones whose process is gone). */
export async function inProgressRunnerIds(db: Db): Promise<string[]> {
  const rows = await db.turn.findMany({ where: { status: "in_progress", heartbeatAt: { not: null } }, select: { runnerId: true }, distinct: ["runnerId"] });
  return rows.map((row) => row.runnerId).filter((id): id is string => Boolean(id));
}

/** Round-trips the database (health checks). */
export async function pingDatabase(db: Db): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}

/** Creation times of a user's turns since `since`, oldest first (at most `limit`), for rate limiting. */
export async function recentTurnTimes(args: { db: Db; userId: string; since: Date; limit: number }): Promise<Date[]> {
  const rows = await args.db.turn.findMany({
    where: { createdAt: { gte: args.since }, conversation: { userId: args.userId } },
    select: { createdAt: true },
    orderBy: { createdAt: "desc" },
    take: args.limit,
  });
  return rows.map((row) => row.createdAt).reverse();
}
