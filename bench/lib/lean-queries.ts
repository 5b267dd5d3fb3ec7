import type { Db } from "@/lib/db/create-client";
import type { RawItem, RawUsage } from "./raw-store";

/** The `pathItems` walk anchored on a branch's head, so the head needs no separate read. */
const BRANCH_HISTORY_SQL = `
  WITH RECURSIVE path("id", "parentId", "depth", "acc") AS (
    SELECT t."id", t."parentId", t."depth", t."itemCount"
    FROM "Branch" b JOIN "Turn" t ON t."id" = b."headTurnId"
    WHERE b."id" = ?
    UNION ALL
    SELECT t."id", t."parentId", t."depth", path."acc" + t."itemCount"
    FROM "Turn" t JOIN path ON t."id" = path."parentId"
    WHERE path."acc" < ?
  )
  SELECT i."content" FROM path JOIN "Item" i ON i."turnId" = path."id"
  ORDER BY path."depth" DESC, i."position" DESC
  LIMIT ?`;

/** Candidate fix for `getItems(limit)`: one conversation read, then the walk anchored on the active branch. */
export async function twoStatementHistory(db: Db, conversationId: string, limit: number): Promise<unknown[]> {
  const conversation = await db.conversation.findUnique({ where: { id: conversationId }, select: { userId: true, activeBranchId: true, historyLimit: true } });
  if (!conversation?.activeBranchId) return [];
  const rows = await db.$queryRawUnsafe<{ content: string }[]>(BRANCH_HISTORY_SQL, conversation.activeBranchId, limit, limit);
  return rows.reverse().map((row) => JSON.parse(row.content) as unknown);
}

const INSERT_TURN_ON_ACTIVE_HEAD_SQL = `
  INSERT INTO "Turn" ("id", "conversationId", "parentId", "depth", "status", "itemCount", "createdAt")
  SELECT ?, c."id", b."headTurnId", COALESCE(t."depth", 0) + 1, 'completed', ?, ?
  FROM "Conversation" c JOIN "Branch" b ON b."id" = c."activeBranchId" LEFT JOIN "Turn" t ON t."id" = b."headTurnId"
  WHERE c."id" = ?`;

const MOVE_ACTIVE_HEAD_SQL = `
  UPDATE "Branch" SET "headTurnId" = ?, "updatedAt" = ?
  WHERE "id" = (SELECT "activeBranchId" FROM "Conversation" WHERE "id" = ?)`;

/** The usage insert, naming the conversation when the schema's usage rows carry it (session_v2). */
function insertUsageSql(withConversationId: boolean): string {
  return `
  INSERT INTO "TurnUsage" ("turnId", ${withConversationId ? `"conversationId", ` : ""}"purpose", "model", "requests", "inputTokens", "cachedInputTokens",
    "outputTokens", "reasoningTokens", "estimated", "costMicros", "inputPricePerMillion", "cachedPricePerMillion", "outputPricePerMillion", "createdAt")
  VALUES (?, ${withConversationId ? "?, " : ""}'turn', ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`;
}

/** Candidate fix for the append: turn, items, branch head and usage as 4 statements in one batch `$transaction`. */
export async function batchedAppendTurn(
  db: Db,
  conversationId: string,
  turnId: string,
  items: RawItem[],
  usage: RawUsage,
  usageHasConversationId: boolean,
): Promise<void> {
  const now = new Date().toISOString();
  const itemValues = items.map(() => "(?, ?, ?, ?, ?)").join(", ");
  const itemParams = items.flatMap((item, position) => [turnId, position, item.role, item.type, item.content]);
  await db.$transaction([
    db.$executeRawUnsafe(INSERT_TURN_ON_ACTIVE_HEAD_SQL, turnId, items.length, now, conversationId),
    db.$executeRawUnsafe(`INSERT INTO "Item" ("turnId", "position", "role", "type", "content") VALUES ${itemValues}`, ...itemParams),
    db.$executeRawUnsafe(MOVE_ACTIVE_HEAD_SQL, turnId, now, conversationId),
    db.$executeRawUnsafe(
      insertUsageSql(usageHasConversationId),
      ...(usageHasConversationId ? [turnId, conversationId] : [turnId]),
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
    ),
  ]);
}
