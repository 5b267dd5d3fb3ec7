import type { Sql } from "../sql-store.ts";
import { ITEM_COLUMNS, TURN_COLUMNS, toItem, toTurn, type ItemRow, type TurnRow } from "./rows.ts";

/** The columns of an item to store. */
export interface NewItem {
  type: string;
  role: string | null;
  toolName: string | null;
  callId: string | null;
  content: string;
}

export interface NewTurn {
  id: string;
  conversationId: string;
  parentId: string | null;
  depth: number;
  kind?: "turn" | "compaction";
  compactionAt?: number | null;
  status: string;
  model?: string | null;
  /** What the turn was really sent: its system prompt (as stored, possibly sealed) and sampling settings. */
  instructions?: string | null;
  temperature?: number | null;
  maxOutputTokens?: number | null;
  runnerId?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  completedAt?: Date | null;
}

/** Inserts a turn and its first items (two statements at most: the turn, then all items in one). */
export async function insertTurnWithItems(sql: Sql, turn: NewTurn, items: NewItem[]): Promise<void> {
  const now = new Date();
  const running = turn.status === "in_progress";
  await sql.run(
    `INSERT INTO "Turn" ("id", "conversationId", "parentId", "depth", "kind", "compactionAt", "status", "errorCode", "errorMessage", "model",
       "instructions", "temperature", "maxOutputTokens", "itemCount", "runnerId", "heartbeatAt", "createdAt", "completedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      turn.id,
      turn.conversationId,
      turn.parentId,
      turn.depth,
      turn.kind ?? "turn",
      turn.compactionAt ?? null,
      turn.status,
      turn.errorCode ?? null,
      turn.errorMessage ?? null,
      turn.model ?? null,
      turn.instructions ?? null,
      turn.temperature ?? null,
      turn.maxOutputTokens ?? null,
      items.length,
      turn.runnerId ?? null,
      running ? now : null,
      now,
      // Stored complete: the completion time is the creation time (read back as such), so none is written.
      running ? null : (turn.completedAt ?? null),
    ],
  );
  await insertItemRows(sql, { turnId: turn.id, start: 0, items });
}

/** Inserts items at positions `start…` of a turn in one statement. */
export async function insertItemRows(sql: Sql, args: { turnId: string; start: number; items: NewItem[] }): Promise<void> {
  // Chunks keep a statement under every provider's parameter limit.
  for (let from = 0; from < args.items.length; from += 500) {
    const chunk = args.items.slice(from, from + 500);
    const values = chunk.map(() => "(?, ?, ?, ?, ?, ?, ?)").join(", ");
    const params = chunk.flatMap((item, index) => [args.turnId, args.start + from + index, item.type, item.role, item.toolName, item.callId, item.content]);
    await sql.run(`INSERT INTO "Item" ("turnId", "position", "type", "role", "toolName", "callId", "content") VALUES ${values}`, params);
  }
}

/** Appends items after a turn's last one; the counter update orders concurrent writers. Returns the first position. */
export async function appendItemRows(sql: Sql, args: { turnId: string; items: NewItem[] }): Promise<number> {
  const rows = await sql.all(`UPDATE "Turn" SET "itemCount" = "itemCount" + ? WHERE "id" = ? RETURNING "itemCount"`, [args.items.length, args.turnId]);
  const start = Number(rows[0]?.itemCount ?? 0) - args.items.length;
  await insertItemRows(sql, { turnId: args.turnId, start, items: args.items });
  return start;
}

export async function findTurn(sql: Sql, args: { id: string; conversationId?: string }): Promise<TurnRow | null> {
  const rows =
    args.conversationId === undefined
      ? await sql.all(`SELECT ${TURN_COLUMNS} FROM "Turn" WHERE "id" = ?`, [args.id])
      : await sql.all(`SELECT ${TURN_COLUMNS} FROM "Turn" WHERE "id" = ? AND "conversationId" = ?`, [args.id, args.conversationId]);
  return rows[0] ? toTurn(rows[0]) : null;
}

export async function turnItemRows(sql: Sql, args: { turnId: string }): Promise<ItemRow[]> {
  const rows = await sql.all(`SELECT ${ITEM_COLUMNS} FROM "Item" WHERE "turnId" = ? ORDER BY "position" ASC`, [args.turnId]);
  return rows.map(toItem);
}

/** The items of several turns (a page of a path), grouped by turn in the order given, each turn's in position order. */
export async function itemRowsOfTurns(sql: Sql, args: { turnIds: string[] }): Promise<ItemRow[]> {
  if (args.turnIds.length === 0) return [];
  const marks = args.turnIds.map(() => "?").join(", ");
  const rows = (await sql.all(`SELECT ${ITEM_COLUMNS} FROM "Item" WHERE "turnId" IN (${marks}) ORDER BY "position" ASC`, args.turnIds)).map(toItem);
  const order = new Map(args.turnIds.map((id, index) => [id, index]));
  return rows.sort((a, b) => order.get(a.turnId)! - order.get(b.turnId)! || a.position - b.position);
}

export async function deleteItemRow(sql: Sql, args: { id: number; turnId: string }): Promise<void> {
  await sql.run(`DELETE FROM "Item" WHERE "id" = ?`, [args.id]);
  await sql.run(`UPDATE "Turn" SET "itemCount" = "itemCount" - 1 WHERE "id" = ?`, [args.turnId]);
}

/** Closes gaps in a turn's item positions (after an item was removed from its middle), keeping their order. */
export async function renumberItems(sql: Sql, args: { turnId: string }): Promise<void> {
  const rows = await sql.all(`SELECT "id", "position" FROM "Item" WHERE "turnId" = ? ORDER BY "position" ASC`, [args.turnId]);
  // Ascending, each row moves down into a slot the rows before it already vacated: no unique-key collision.
  for (const [index, row] of rows.entries()) {
    if (Number(row.position) !== index) await sql.run(`UPDATE "Item" SET "position" = ? WHERE "id" = ?`, [index, row.id]);
  }
}

export async function replaceItemContent(sql: Sql, args: { id: number; item: NewItem }): Promise<void> {
  await sql.run(`UPDATE "Item" SET "type" = ?, "role" = ?, "toolName" = ?, "callId" = ?, "content" = ? WHERE "id" = ?`, [
    args.item.type,
    args.item.role,
    args.item.toolName,
    args.item.callId,
    args.item.content,
    args.id,
  ]);
}

/** Deletes a turn with its items and usage (cascades). */
export async function deleteTurnRow(sql: Sql, args: { id: string }): Promise<void> {
  await sql.run(`DELETE FROM "Turn" WHERE "id" = ?`, [args.id]);
}

/** Whether any turn has this one as its parent. */
export async function hasChildTurn(sql: Sql, args: { turnId: string }): Promise<boolean> {
  return (await sql.all(`SELECT 1 AS "x" FROM "Turn" WHERE "parentId" = ? LIMIT 1`, [args.turnId])).length > 0;
}

/** A copy of a turn (new id, same parent unless given) with the first `keep` of its items and no usage. */
export async function copyTurnRows(sql: Sql, args: { source: TurnRow; id: string; conversationId: string; parentId?: string | null; keep?: number }): Promise<void> {
  const keep = args.keep ?? args.source.itemCount;
  const { source } = args;
  await sql.run(
    `INSERT INTO "Turn" ("id", "conversationId", "parentId", "depth", "kind", "compactionAt", "status", "errorCode", "errorMessage", "model",
       "itemCount", "runnerId", "heartbeatAt", "createdAt", "completedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      args.id,
      args.conversationId,
      args.parentId === undefined ? source.parentId : args.parentId,
      source.depth,
      source.kind,
      // A replay boundary stays a boundary in the copy (at most at its end).
      source.compactionAt === null ? null : Math.min(source.compactionAt, keep),
      source.status,
      source.errorCode,
      source.errorMessage,
      source.model,
      keep,
      // A copy of a running turn keeps its heartbeat, so the stale-turn sweep ends it like the original.
      source.runnerId,
      source.heartbeatAt,
      source.createdAt,
      source.completedAt,
    ],
  );
  // A copy keeps what its turn was sent, so a regenerate from either replays the same settings.
  await sql.run(
    `UPDATE "Turn" SET
       "instructions" = (SELECT s."instructions" FROM "Turn" s WHERE s."id" = ?),
       "temperature" = (SELECT s."temperature" FROM "Turn" s WHERE s."id" = ?),
       "maxOutputTokens" = (SELECT s."maxOutputTokens" FROM "Turn" s WHERE s."id" = ?)
     WHERE "id" = ?`,
    [source.id, source.id, source.id, args.id],
  );
  await sql.run(
    `INSERT INTO "Item" ("turnId", "position", "type", "role", "toolName", "callId", "content")
     SELECT ?, "position", "type", "role", "toolName", "callId", "content" FROM "Item" WHERE "turnId" = ? AND "position" < ?`,
    [args.id, source.id, keep],
  );
}

/**
 * The settings a turn was sent with, as stored (instructions possibly sealed); null when there is no such turn. With
 * `userId`, any of that user's turns (a fork reads its first turns through its original); without, one of `conversationId`.
 */
export async function turnSettingsRow(
  sql: Sql,
  args: { id: string; conversationId: string; userId?: string },
): Promise<{ instructions: string | null; temperature: number | null; maxOutputTokens: number | null } | null> {
  const rows =
    args.userId === undefined
      ? await sql.all(`SELECT "instructions", "temperature", "maxOutputTokens" FROM "Turn" WHERE "id" = ? AND "conversationId" = ?`, [args.id, args.conversationId])
      : await sql.all(
          `SELECT t."instructions", t."temperature", t."maxOutputTokens" FROM "Turn" t JOIN "Conversation" c ON c."id" = t."conversationId"
           WHERE t."id" = ? AND c."userId" = ?`,
          [args.id, args.userId],
        );
  const row = rows[0];
  if (!row) return null;
  const number = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    instructions: row.instructions === null || row.instructions === undefined ? null : String(row.instructions),
    temperature: number(row.temperature),
    maxOutputTokens: number(row.maxOutputTokens),
  };
}

/** Marks where a turn's compaction item is (null: it holds none any more). */
export async function setCompactionAt(sql: Sql, args: { turnId: string; position: number | null }): Promise<void> {
  await sql.run(`UPDATE "Turn" SET "compactionAt" = ? WHERE "id" = ?`, [args.position, args.turnId]);
}

/** Ends a running turn; false when it was not running. */
export async function finishTurnRow(
  sql: Sql,
  args: { id: string; conversationId: string; status: string; errorCode: string | null; errorMessage: string | null },
): Promise<boolean> {
  const now = new Date();
  const changed = await sql.run(
    `UPDATE "Turn" SET "status" = ?, "errorCode" = ?, "errorMessage" = ?, "completedAt" = ?, "heartbeatAt" = NULL
     WHERE "id" = ? AND "conversationId" = ? AND "status" = 'in_progress'`,
    [args.status, args.errorCode, args.errorMessage, now, args.id, args.conversationId],
  );
  return changed > 0;
}

export async function markInterrupted(sql: Sql, args: { id: string }): Promise<void> {
  await sql.run(`UPDATE "Turn" SET "status" = 'interrupted', "completedAt" = ?, "heartbeatAt" = NULL WHERE "id" = ?`, [new Date(), args.id]);
}

export async function requestTurnStop(sql: Sql, args: { id: string }): Promise<void> {
  await sql.run(`UPDATE "Turn" SET "stopRequested" = TRUE WHERE "id" = ?`, [args.id]);
}

/** Refreshes a running turn's heartbeat and reads its stop flag (null when the turn does not exist). */
export async function beatTurn(sql: Sql, args: { id: string; conversationId: string }): Promise<{ stopRequested: boolean } | null> {
  const rows = await sql.all(`UPDATE "Turn" SET "heartbeatAt" = ? WHERE "id" = ? AND "conversationId" = ? RETURNING "stopRequested"`, [
    new Date(),
    args.id,
    args.conversationId,
  ]);
  const row = rows[0];
  return row ? { stopRequested: row.stopRequested === true || Number(row.stopRequested) === 1 } : null;
}

/**
 * Moves turns to another conversation, e.g. to the fork that still reads through them. Their ledger rows stay with
 * the conversation the calls ran in (its spend is history, not the fork's); paths find them through the turn.
 */
export async function moveTurnsToConversation(sql: Sql, args: { turnIds: string[]; conversationId: string }): Promise<void> {
  for (let start = 0; start < args.turnIds.length; start += 500) {
    const chunk = args.turnIds.slice(start, start + 500);
    const marks = chunk.map(() => "?").join(", ");
    await sql.run(`UPDATE "Turn" SET "conversationId" = ? WHERE "id" IN (${marks})`, [args.conversationId, ...chunk]);
  }
}

/** Whether a turn is reached by more than the given branch: another branch's head is on it, or a turn hangs below it. */
export async function isTurnShared(sql: Sql, args: { turnId: string; exceptBranchId: string }): Promise<boolean> {
  const rows = await sql.all(
    `SELECT 1 AS "x" WHERE EXISTS (SELECT 1 FROM "Branch" WHERE "headTurnId" = ? AND "id" <> ?)
        OR EXISTS (SELECT 1 FROM "Turn" WHERE "parentId" = ?)`,
    [args.turnId, args.exceptBranchId, args.turnId],
  );
  return rows.length > 0;
}

/** Whether any branch but one (of any conversation, snapshots included) reaches a turn: a head at it or below it. */
export async function isReachedByOtherBranch(sql: Sql, args: { turnId: string; branchId: string }): Promise<boolean> {
  const rows = await sql.all(
    `WITH RECURSIVE down("id") AS (
      SELECT "id" FROM "Turn" WHERE "id" = ?
      UNION ALL
      SELECT t."id" FROM "Turn" t JOIN down ON t."parentId" = down."id"
    )
    SELECT 1 AS "x" FROM "Branch" b JOIN down ON b."headTurnId" = down."id" WHERE b."id" <> ? LIMIT 1`,
    [args.turnId, args.branchId],
  );
  return rows.length > 0;
}
