import type { Sql } from "../sql-store.ts";
import { BRANCH_COLUMNS, optNum, optStr, str, toBranch, toConversation, type BranchRow, type ConversationRow } from "./rows.ts";

const CONVERSATION_COLUMNS = `"id", "userId", "title", "activeBranchId", "historyLimit", "forkedFromConversationId", "forkedFromTurnId",
  "createdAt", "updatedAt"`;

export async function findConversation(sql: Sql, args: { id: string }): Promise<ConversationRow | null> {
  const rows = await sql.all(`SELECT ${CONVERSATION_COLUMNS} FROM "Conversation" WHERE "id" = ?`, [args.id]);
  return rows[0] ? toConversation(rows[0]) : null;
}

/** The conversation's owner, history limit and active branch with its head turn, read in one statement. */
export interface ActiveState {
  userId: string;
  historyLimit: number | null;
  branch: BranchRow | null;
  head: {
    id: string;
    parentId: string | null;
    depth: number;
    status: string;
    conversationId: string;
    kind: string;
    heartbeatAt: string | null;
    createdAt: string;
    model: string | null;
  } | null;
}

export async function readActiveState(sql: Sql, args: { conversationId: string; branchId?: string }): Promise<ActiveState | null> {
  const branchColumns = BRANCH_COLUMNS.split(",").map((column) => `b.${column.trim()} AS "b_${column.trim().replaceAll('"', "")}"`).join(", ");
  const join = args.branchId === undefined ? `b."id" = c."activeBranchId"` : `b."id" = ? AND b."conversationId" = c."id"`;
  const rows = await sql.all(
    `SELECT c."userId", c."historyLimit", ${branchColumns},
            h."id" AS "h_id", h."parentId" AS "h_parentId", h."depth" AS "h_depth", h."status" AS "h_status", h."conversationId" AS "h_conversationId",
            h."kind" AS "h_kind", h."heartbeatAt" AS "h_heartbeatAt", h."createdAt" AS "h_createdAt", h."model" AS "h_model"
     FROM "Conversation" c
     LEFT JOIN "Branch" b ON ${join}
     LEFT JOIN "Turn" h ON h."id" = b."headTurnId"
     WHERE c."id" = ?`,
    args.branchId === undefined ? [args.conversationId] : [args.branchId, args.conversationId],
  );
  const row = rows[0];
  if (!row) return null;
  const branch =
    row.b_id === null || row.b_id === undefined
      ? null
      : toBranch(Object.fromEntries(Object.entries(row).filter(([key]) => key.startsWith("b_")).map(([key, value]) => [key.slice(2), value])));
  const head =
    row.h_id === null || row.h_id === undefined
      ? null
      : {
          id: str(row.h_id),
          parentId: optStr(row.h_parentId),
          depth: Number(row.h_depth),
          status: str(row.h_status),
          conversationId: str(row.h_conversationId),
          kind: str(row.h_kind),
          heartbeatAt: optStr(row.h_heartbeatAt instanceof Date ? row.h_heartbeatAt.toISOString() : row.h_heartbeatAt),
          createdAt: str(row.h_createdAt instanceof Date ? row.h_createdAt.toISOString() : row.h_createdAt),
          model: optStr(row.h_model),
        };
  return { userId: str(row.userId), historyLimit: optNum(row.historyLimit), branch, head };
}

export async function insertConversation(
  sql: Sql,
  args: { id: string; userId: string; title: string | null; activeBranchId: string; forkedFromConversationId?: string | null; forkedFromTurnId?: string | null },
): Promise<boolean> {
  const now = new Date();
  // ON CONFLICT: two first writes to one new id must not fail; the second one finds the row and writes to it.
  const inserted = await sql.run(
    `INSERT INTO "Conversation" ("id", "userId", "title", "activeBranchId", "forkedFromConversationId", "forkedFromTurnId", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("id") DO NOTHING`,
    [args.id, args.userId, args.title, args.activeBranchId, args.forkedFromConversationId ?? null, args.forkedFromTurnId ?? null, now, now],
  );
  return inserted > 0;
}

export async function touchConversation(sql: Sql, args: { id: string; activeBranchId?: string }): Promise<void> {
  if (args.activeBranchId === undefined) await sql.run(`UPDATE "Conversation" SET "updatedAt" = ? WHERE "id" = ?`, [new Date(), args.id]);
  else await sql.run(`UPDATE "Conversation" SET "activeBranchId" = ?, "updatedAt" = ? WHERE "id" = ?`, [args.activeBranchId, new Date(), args.id]);
}

/** Points the conversation at a branch only while that branch exists in it (one statement, so no race can strand it). */
export async function setActiveBranch(sql: Sql, args: { conversationId: string; branchId: string }): Promise<boolean> {
  const changed = await sql.run(
    `UPDATE "Conversation" SET "activeBranchId" = ?
     WHERE "id" = ? AND EXISTS (SELECT 1 FROM "Branch" WHERE "id" = ? AND "conversationId" = ? AND "kind" = 'branch')`,
    [args.branchId, args.conversationId, args.branchId, args.conversationId],
  );
  return changed > 0;
}

export async function setTitleIfUnset(sql: Sql, args: { id: string; title: string }): Promise<boolean> {
  return (await sql.run(`UPDATE "Conversation" SET "title" = ? WHERE "id" = ? AND "title" IS NULL`, [args.title, args.id])) > 0;
}

export async function deleteConversationRows(sql: Sql, args: { id: string }): Promise<void> {
  await sql.run(`DELETE FROM "Branch" WHERE "conversationId" = ?`, [args.id]);
  // One statement: the parent link (NO ACTION) is checked when it ends, when no child is left.
  await sql.run(`DELETE FROM "Turn" WHERE "conversationId" = ?`, [args.id]);
  await sql.run(`DELETE FROM "Conversation" WHERE "id" = ?`, [args.id]);
}

/** Forks that read through this conversation lose the lineage pointer when it goes. */
export async function forgetLineage(sql: Sql, args: { conversationId: string }): Promise<void> {
  await sql.run(`UPDATE "Conversation" SET "forkedFromConversationId" = NULL WHERE "forkedFromConversationId" = ?`, [args.conversationId]);
}

/** Turns of this conversation another conversation reaches: a turn its turns hang from, or a head of its branches. */
export async function externalReaches(sql: Sql, args: { conversationId: string }): Promise<{ conversationId: string; turnId: string }[]> {
  const rows = await sql.all(
    `SELECT c."conversationId" AS "conversationId", c."parentId" AS "turnId"
     FROM "Turn" c JOIN "Turn" p ON p."id" = c."parentId"
     WHERE p."conversationId" = ? AND c."conversationId" <> ?
     UNION
     SELECT b."conversationId" AS "conversationId", b."headTurnId" AS "turnId"
     FROM "Branch" b JOIN "Turn" t ON t."id" = b."headTurnId"
     WHERE t."conversationId" = ? AND b."conversationId" <> ?
     ORDER BY 1, 2`,
    [args.conversationId, args.conversationId, args.conversationId, args.conversationId],
  );
  return rows.map((row) => ({ conversationId: str(row.conversationId), turnId: str(row.turnId) }));
}

// ---------------------------------------------------------------- branches

export async function findBranch(sql: Sql, args: { conversationId: string; id: string }): Promise<BranchRow | null> {
  const rows = await sql.all(`SELECT ${BRANCH_COLUMNS} FROM "Branch" WHERE "id" = ? AND "conversationId" = ?`, [args.id, args.conversationId]);
  return rows[0] ? toBranch(rows[0]) : null;
}

export async function findBranchByName(sql: Sql, args: { conversationId: string; name: string }): Promise<BranchRow | null> {
  const rows = await sql.all(`SELECT ${BRANCH_COLUMNS} FROM "Branch" WHERE "conversationId" = ? AND "name" = ?`, [args.conversationId, args.name]);
  return rows[0] ? toBranch(rows[0]) : null;
}

/** Branches (or snapshots) of a conversation, oldest first. */
export async function listBranchRows(sql: Sql, args: { conversationId: string; kind: "branch" | "snapshot" }): Promise<BranchRow[]> {
  const rows = await sql.all(`SELECT ${BRANCH_COLUMNS} FROM "Branch" WHERE "conversationId" = ? AND "kind" = ? ORDER BY "createdAt" ASC, "id" ASC`, [
    args.conversationId,
    args.kind,
  ]);
  return rows.map(toBranch);
}

export async function insertBranch(
  sql: Sql,
  args: {
    id: string;
    conversationId: string;
    name: string;
    kind?: "branch" | "snapshot";
    headTurnId?: string | null;
    baseTurnId?: string | null;
    forkedFromTurnId?: string | null;
    snapshotOfBranchId?: string | null;
  },
): Promise<void> {
  const now = new Date();
  await sql.run(
    `INSERT INTO "Branch" ("id", "conversationId", "name", "kind", "headTurnId", "baseTurnId", "forkedFromTurnId", "snapshotOfBranchId", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      args.id,
      args.conversationId,
      args.name,
      args.kind ?? "branch",
      args.headTurnId ?? null,
      args.baseTurnId ?? null,
      args.forkedFromTurnId ?? null,
      args.snapshotOfBranchId ?? null,
      now,
      now,
    ],
  );
}

/** Moves a branch's head (and base); `clearedHeadTurnId` is reset unless given. */
export async function moveBranchHead(
  sql: Sql,
  args: { id: string; headTurnId: string | null; baseTurnId: string | null; clearedHeadTurnId?: string | null },
): Promise<void> {
  await sql.run(`UPDATE "Branch" SET "headTurnId" = ?, "baseTurnId" = ?, "clearedHeadTurnId" = ?, "updatedAt" = ? WHERE "id" = ?`, [
    args.headTurnId,
    args.baseTurnId,
    args.clearedHeadTurnId ?? null,
    new Date(),
    args.id,
  ]);
}

export async function updateBranchNameAndKind(sql: Sql, args: { id: string; name: string; kind: "branch" | "snapshot" }): Promise<void> {
  await sql.run(`UPDATE "Branch" SET "name" = ?, "kind" = ?, "updatedAt" = ? WHERE "id" = ?`, [args.name, args.kind, new Date(), args.id]);
}

export async function deleteBranchRow(sql: Sql, args: { id: string }): Promise<void> {
  await sql.run(`DELETE FROM "Branch" WHERE "id" = ?`, [args.id]);
}

export async function countBranches(sql: Sql, args: { conversationId: string }): Promise<number> {
  const rows = await sql.all(`SELECT COUNT(*) AS "n" FROM "Branch" WHERE "conversationId" = ? AND "kind" = 'branch'`, [args.conversationId]);
  return Number(rows[0]?.n ?? 0);
}

/** Whether another branch row (any conversation, snapshots included) has this turn as its head. */
export async function isHeadOfOtherBranch(sql: Sql, args: { turnId: string; exceptBranchId: string | null }): Promise<boolean> {
  const rows = await sql.all(`SELECT 1 AS "x" FROM "Branch" WHERE "headTurnId" = ? AND "id" <> ? LIMIT 1`, [args.turnId, args.exceptBranchId ?? ""]);
  return rows.length > 0;
}
