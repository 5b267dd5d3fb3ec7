import type { Sql } from "../sql-store.ts";
import { ITEM_COLUMNS, TURN_COLUMNS, num, optStr, str, toItem, toTurn, type ItemRow, type TurnRow } from "./rows.ts";

/** Where a walk up the tree starts: a turn, the head of a branch, or the head of a conversation's active branch (of that owner). */
export type PathAnchor = { turnId: string } | { branchId: string } | { conversationId: string; userId?: string };

const UNBOUNDED = 2_147_483_647;

interface WalkOptions {
  /** Stop after the nearest compaction node and start its items at the compaction item (what the model is sent). */
  replay?: boolean;
  /** Stop walking once this many items are collected. */
  cap?: number;
  /** Keep walking only while this holds for the row reached (SQL over `path`), with its parameters. */
  while?: { sql: string; params: unknown[] };
}

/**
 * The one recursive walk from a head turn to the root (crossing into the conversation a fork reads through).
 * Columns: id, parentId, depth, kind, conversationId, cut (first item position that counts), stop, acc (items so
 * far), hop (0 at the head). Every path query is built on it.
 */
export function walk(anchor: PathAnchor, options: WalkOptions = {}): { sql: string; params: unknown[] } {
  const cut = options.replay ? `COALESCE(t."compactionAt", 0)` : "0";
  const stop = options.replay ? `CASE WHEN t."compactionAt" IS NULL THEN 0 ELSE 1 END` : "0";
  const from =
    "turnId" in anchor
      ? `"Turn" t WHERE t."id" = ?`
      : "branchId" in anchor
        ? `"Branch" b JOIN "Turn" t ON t."id" = b."headTurnId" WHERE b."id" = ?`
        : `"Conversation" c JOIN "Branch" b ON b."id" = c."activeBranchId" JOIN "Turn" t ON t."id" = b."headTurnId" WHERE c."id" = ?${
            anchor.userId === undefined ? "" : ` AND c."userId" = ?`
          }`;
  const extra = options.while ? ` AND (${options.while.sql})` : "";
  const sql = `WITH RECURSIVE path("id", "parentId", "depth", "kind", "conversationId", "cut", "stop", "acc", "hop") AS (
      SELECT t."id", t."parentId", t."depth", t."kind", t."conversationId", ${cut}, ${stop}, t."itemCount" - ${cut}, 0
      FROM ${from}
      UNION ALL
      SELECT t."id", t."parentId", t."depth", t."kind", t."conversationId", ${cut}, ${stop}, path."acc" + t."itemCount" - ${cut}, path."hop" + 1
      FROM "Turn" t JOIN path ON t."id" = path."parentId"
      WHERE path."stop" = 0 AND path."acc" < ?${extra}
    )`;
  const anchorParams =
    "turnId" in anchor ? [anchor.turnId] : "branchId" in anchor ? [anchor.branchId] : [anchor.conversationId, ...(anchor.userId === undefined ? [] : [anchor.userId])];
  return { sql, params: [...anchorParams, options.cap ?? UNBOUNDED, ...(options.while?.params ?? [])] };
}

/** An item on a path as the session reads it: where it is, what it is, and its stored JSON. */
export interface PathItemRow {
  turnId: string;
  position: number;
  type: string;
  callId: string | null;
  content: string;
}

/** A tool-call item on a path, with the depth of its turn. */
export interface PathToolCallRow extends ItemRow {
  depth: number;
}

/** The newest `limit` items on a path, oldest first; the walk stops as soon as enough are collected. */
export async function pathItems(sql: Sql, args: { anchor: PathAnchor; limit?: number; replay: boolean }): Promise<PathItemRow[]> {
  if (args.limit === 0) return [];
  const cap = args.limit ?? UNBOUNDED;
  const path = walk(args.anchor, { replay: args.replay, cap });
  // Only the columns a read needs, and no ORDER BY/LIMIT: the walk already stopped after `cap` items (give or take
  // the last turn's), and ordering those few rows here is cheaper than SQLite's temporary sort (measured: about half
  // of the whole read at 50 items).
  const rows = await sql.all(
    `${path.sql}
    SELECT i."turnId", i."position", i."type", i."callId", i."content", path."hop" FROM path JOIN "Item" i ON i."turnId" = path."id"
    WHERE i."position" >= path."cut"`,
    path.params,
  );
  const newestFirst = rows
    .map((row) => ({ turnId: str(row.turnId), position: num(row.position), type: str(row.type), callId: optStr(row.callId), content: str(row.content), hop: num(row.hop) }))
    .sort((a, b) => a.hop - b.hop || b.position - a.position)
    .slice(0, cap);
  return newestFirst.reverse().map(({ hop: _hop, ...item }) => item);
}

/** A turn on a path with its user message as stored (the item at position 0 when it is one), for previews. */
export interface PathTurnRow extends TurnRow {
  userItem: string | null;
}

/** The turns from the root to the head, oldest first, compaction nodes included. */
export async function pathTurns(sql: Sql, args: { headTurnId: string | null }): Promise<TurnRow[]> {
  if (!args.headTurnId) return [];
  const path = walk({ turnId: args.headTurnId });
  const columns = TURN_COLUMNS.split(",").map((column) => `t.${column.trim()}`).join(", ");
  const rows = await sql.all(`${path.sql} SELECT ${columns} FROM path JOIN "Turn" t ON t."id" = path."id" ORDER BY path."hop" DESC`, path.params);
  return rows.map(toTurn);
}

/** As `pathTurns`, with each turn's stored user message (for the turn list's previews). */
export async function pathTurnsWithUserItem(sql: Sql, args: { headTurnId: string | null }): Promise<PathTurnRow[]> {
  if (!args.headTurnId) return [];
  const path = walk({ turnId: args.headTurnId });
  const columns = TURN_COLUMNS.split(",").map((column) => `t.${column.trim()}`).join(", ");
  const rows = await sql.all(
    `${path.sql} SELECT ${columns}, u."content" AS "userItem"
     FROM path JOIN "Turn" t ON t."id" = path."id"
     LEFT JOIN "Item" u ON u."turnId" = t."id" AND u."position" = 0 AND u."role" = 'user'
     ORDER BY path."hop" DESC`,
    path.params,
  );
  return rows.map((row) => ({ ...toTurn(row), userItem: optStr(row.userItem) }));
}

/** How many items the path ending at a turn holds, counted in the walk (no rows leave the database). */
export async function pathItemCount(sql: Sql, args: { headTurnId: string | null }): Promise<number> {
  if (!args.headTurnId) return 0;
  const path = walk({ turnId: args.headTurnId });
  const rows = await sql.all(`${path.sql} SELECT COALESCE(SUM(t."itemCount"), 0) AS "n" FROM path JOIN "Turn" t ON t."id" = path."id"`, path.params);
  return num(rows[0]?.n);
}

/** The user turn numbered `depth` on the path ending at the head, walking up only as far as needed. */
export async function turnAtDepth(sql: Sql, args: { headTurnId: string | null; depth: number }): Promise<TurnRow | null> {
  if (!args.headTurnId || args.depth < 1) return null;
  // A compaction node shares the number of the turn before it, so the walk goes on past it.
  const path = walk({ turnId: args.headTurnId }, { while: { sql: `path."depth" > ? OR path."kind" = 'compaction'`, params: [args.depth] } });
  const columns = TURN_COLUMNS.split(",").map((column) => `t.${column.trim()}`).join(", ");
  const rows = await sql.all(
    `${path.sql} SELECT ${columns} FROM path JOIN "Turn" t ON t."id" = path."id" WHERE path."depth" = ? AND path."kind" = 'turn'`,
    [...path.params, args.depth],
  );
  return rows[0] ? toTurn(rows[0]) : null;
}

/** Item types that call a tool (function, hosted and built-in tools, MCP, tool search). */
export const TOOL_CALL_TYPES = ["function_call", "hosted_tool_call", "computer_call", "shell_call", "apply_patch_call", "tool_search_call"];

/** The tool-call items on a path, with their stored JSON (the tool's full name is read from it). */
export async function pathToolCallItems(sql: Sql, args: { headTurnId: string | null }): Promise<PathToolCallRow[]> {
  if (!args.headTurnId) return [];
  const path = walk({ turnId: args.headTurnId });
  const columns = ITEM_COLUMNS.split(",").map((column) => `i.${column.trim()}`).join(", ");
  const types = TOOL_CALL_TYPES.map(() => "?").join(", ");
  const rows = await sql.all(
    `${path.sql} SELECT ${columns}, path."depth" FROM path JOIN "Item" i ON i."turnId" = path."id"
     WHERE i."type" IN (${types}) ORDER BY path."hop" DESC, i."position" ASC`,
    [...path.params, ...TOOL_CALL_TYPES],
  );
  return rows.map((row) => ({ ...toItem(row), depth: num(row.depth) }));
}

/** Turns of a conversation sharing a parent with a turn on the path (its alternatives), plus its root turns. */
export async function pathSiblings(
  sql: Sql,
  args: { headTurnId: string | null; conversationId: string },
): Promise<{ id: string; parentId: string | null; kind: string }[]> {
  if (!args.headTurnId) return [];
  const path = walk({ turnId: args.headTurnId });
  const rows = await sql.all(
    `${path.sql}
    SELECT t."id", t."parentId", t."kind" FROM "Turn" t
    WHERE t."conversationId" = ?
      AND (t."parentId" IS NULL OR t."parentId" IN (SELECT "parentId" FROM path WHERE "parentId" IS NOT NULL))
    ORDER BY t."id" ASC`,
    [...path.params, args.conversationId],
  );
  return rows.map((row) => ({ id: str(row.id), parentId: optStr(row.parentId), kind: str(row.kind) }));
}

/** The ids of the turns on the path ending at a turn that a given conversation owns. */
export async function ownedPathTurnIds(sql: Sql, args: { headTurnId: string; conversationId: string }): Promise<string[]> {
  const path = walk({ turnId: args.headTurnId });
  const rows = await sql.all(`${path.sql} SELECT "id" FROM path WHERE "conversationId" = ?`, [...path.params, args.conversationId]);
  return rows.map((row) => str(row.id));
}

/** For a turn, the most recently updated visible branch of the conversation whose path contains it. */
export async function branchReaching(sql: Sql, args: { turnId: string; conversationId: string }): Promise<string | null> {
  const rows = await sql.all(
    `WITH RECURSIVE down("id") AS (
      SELECT "id" FROM "Turn" WHERE "id" = ?
      UNION ALL
      SELECT t."id" FROM "Turn" t JOIN down ON t."parentId" = down."id"
    )
    SELECT b."id" FROM "Branch" b JOIN down ON b."headTurnId" = down."id"
    WHERE b."conversationId" = ? AND b."kind" = 'branch'
    ORDER BY b."updatedAt" DESC, b."id" DESC
    LIMIT 1`,
    [args.turnId, args.conversationId],
  );
  return rows[0] ? str(rows[0].id) : null;
}
