import type { AgentInputItem } from "@openai/agents";
import {
  branchReaching,
  findConversation,
  findTurn,
  pathItems,
  pathSiblings,
  pathToolCallItems,
  pathTurnsWithUserItem,
  readActiveState,
  itemRowsOfTurns,
  turnItemRows,
  type PathItemRow,
  type Sql,
  type PathTurnRow,
} from "@/lib/db/session";
import type { SessionContext } from "./context";
import { BranchNotFoundError, CorruptItemError, TurnNotFoundError } from "./errors";
import { isToolCall, isToolOutput, itemText } from "./item-meta";
import { toolKey } from "./tool-usage";
import type { ConversationTurn, PathEntry, ToolUsage, TurnStatus } from "./types";

const PREVIEW_LENGTH = 100;

function warnCorrupt(ctx: SessionContext, row: { turnId: string; position: number }, reason: string): void {
  console.warn(`[forkline] ${new CorruptItemError({ conversationId: ctx.id, turnId: row.turnId, position: row.position }, reason).message}`);
}

/** Drops tool outputs whose call is not in the list, so a limited history never starts mid tool pair. */
function withoutOrphanedOutputs(rows: PathItemRow[]): PathItemRow[] {
  const calls = new Set(rows.filter((row) => isToolCall(row) && row.callId).map((row) => row.callId));
  return rows.filter((row) => !isToolOutput(row) || !row.callId || calls.has(row.callId));
}

/** Decodes rows for the model, skipping (and reporting) rows that cannot be read. */
export function openForModel(ctx: SessionContext, rows: PathItemRow[]): AgentInputItem[] {
  const items: AgentInputItem[] = [];
  for (const row of withoutOrphanedOutputs(rows)) {
    const decoded = ctx.codec.decode(row);
    if (decoded.ok) items.push(decoded.item);
    else warnCorrupt(ctx, row, decoded.reason);
  }
  return items;
}

/** The history limit in force: the call's, the session's, then the conversation's. */
function effectiveLimit(ctx: SessionContext, limit: number | undefined, stored: number | null): number | undefined {
  return limit ?? ctx.historyLimit ?? stored ?? undefined;
}

/** Items of the active branch as the model is sent them (from the latest compaction node on), the newest `limit`. */
export async function getItems(ctx: SessionContext, limit?: number): Promise<AgentInputItem[]> {
  const sql = await ctx.store();
  const known = limit ?? ctx.historyLimit;
  // With the limit known, one statement: the walk anchored on the conversation's active branch, owner checked in it.
  if (known !== undefined) return openForModel(ctx, await pathItems(sql, { anchor: { conversationId: ctx.id, userId: ctx.userId }, limit: known, replay: true }));
  const conversation = await findConversation(sql, { id: ctx.id });
  if (!conversation || !ctx.owns(conversation.userId) || !conversation.activeBranchId) return [];
  const rows = await pathItems(sql, { anchor: { branchId: conversation.activeBranchId }, limit: effectiveLimit(ctx, limit, conversation.historyLimit), replay: true });
  return openForModel(ctx, rows);
}

/** History before a turn (its ancestors' items, as the model is sent them), honouring the history limit. */
export async function historyBefore(ctx: SessionContext, turnId: string, limit?: number): Promise<AgentInputItem[]> {
  const sql = await ctx.store();
  const [turn, conversation] = await Promise.all([findTurn(sql, { id: turnId, conversationId: ctx.id }), findConversation(sql, { id: ctx.id })]);
  if (!turn || !conversation || !ctx.owns(conversation.userId)) throw new TurnNotFoundError(turnId);
  if (!turn.parentId) return [];
  const rows = await pathItems(sql, { anchor: { turnId: turn.parentId }, limit: effectiveLimit(ctx, limit, conversation.historyLimit), replay: true });
  return openForModel(ctx, rows);
}

/** What a new turn on a branch (the active one by default) would be replayed: its path's items, honouring the history limit. */
export async function historyAtBranchHead(ctx: SessionContext, branchId: string | undefined, limit?: number): Promise<AgentInputItem[]> {
  const sql = await ctx.store();
  const [head, conversation] = await Promise.all([branchHead(ctx, sql, branchId), findConversation(sql, { id: ctx.id })]);
  if (!head?.headTurnId || !conversation) return [];
  const rows = await pathItems(sql, { anchor: { turnId: head.headTurnId }, limit: effectiveLimit(ctx, limit, conversation.historyLimit), replay: true });
  return openForModel(ctx, rows);
}

/** The head turn id of a branch (the active one by default); null when the conversation is not visible. */
export async function branchHead(ctx: SessionContext, sql: Sql, branchId: string | undefined): Promise<{ branchId: string; headTurnId: string | null } | null> {
  const state = await readActiveState(sql, { conversationId: ctx.id, branchId });
  if (!state || !ctx.owns(state.userId)) return null;
  if (!state.branch || state.branch.kind !== "branch") {
    if (branchId !== undefined) throw new BranchNotFoundError(branchId);
    return null;
  }
  return { branchId: state.branch.id, headTurnId: state.branch.headTurnId };
}

/** Every item on a branch's full path (compacted turns included), for display; unreadable rows are reported. */
export async function getPathItems(ctx: SessionContext, branchId?: string): Promise<PathEntry[]> {
  const sql = await ctx.store();
  const head = await branchHead(ctx, sql, branchId);
  if (!head?.headTurnId) return [];
  const rows = await pathItems(sql, { anchor: { turnId: head.headTurnId }, replay: false });
  return rows.map((row) => toPathEntry(ctx, row));
}

function toPathEntry(ctx: SessionContext, row: { turnId: string; position: number; content: string }): PathEntry {
  const decoded = ctx.codec.decode(row);
  if (decoded.ok) return { turnId: row.turnId, position: row.position, item: decoded.item };
  warnCorrupt(ctx, row, decoded.reason);
  return { turnId: row.turnId, position: row.position, item: null, unreadable: decoded.reason };
}

/**
 * The items of some turns of a path, for display (a page of `getPathItems`); the ids must come from this
 * conversation's own path (`getConversationTurns`), which may read through turns of the conversation it was forked from.
 */
export async function getItemsOfTurns(ctx: SessionContext, turnIds: string[]): Promise<PathEntry[]> {
  const sql = await ctx.store();
  await ctx.assertOwner(sql);
  const rows = await itemRowsOfTurns(sql, { turnIds });
  return rows.map((row) => toPathEntry(ctx, row));
}

/** The readable items of one turn of this conversation, in order. */
export async function getTurnItems(ctx: SessionContext, turnId: string): Promise<AgentInputItem[]> {
  const sql = await ctx.store();
  await ctx.assertOwner(sql);
  const turn = await findTurn(sql, { id: turnId, conversationId: ctx.id });
  if (!turn) return [];
  const rows = await turnItemRows(sql, { turnId });
  return openForModel(ctx, rows);
}

function describe(ctx: SessionContext, turn: PathTurnRow, group: { id: string }[]): ConversationTurn {
  const index = Math.max(0, group.findIndex((sibling) => sibling.id === turn.id));
  let fullContent = "";
  if (turn.userItem !== null) {
    const decoded = ctx.codec.decode({ content: turn.userItem });
    if (decoded.ok) fullContent = itemText(decoded.item);
    else warnCorrupt(ctx, { turnId: turn.id, position: 0 }, decoded.reason);
  }
  return {
    turn: turn.depth,
    turnId: turn.id,
    content: fullContent.length > PREVIEW_LENGTH ? `${fullContent.slice(0, PREVIEW_LENGTH - 1)}…` : fullContent,
    fullContent,
    status: turn.status as TurnStatus,
    model: turn.model,
    error: turn.errorCode ? { code: turn.errorCode, message: turn.errorMessage ?? "" } : null,
    siblings: { index: index + 1, count: Math.max(1, group.length), turnIds: group.map((sibling) => sibling.id) },
    createdAt: turn.createdAt,
  };
}

/** User turns along a branch's full path with previews, status and sibling position (‹ index / count ›). */
export async function getConversationTurns(ctx: SessionContext, branchId?: string): Promise<ConversationTurn[]> {
  const sql = await ctx.store();
  const head = await branchHead(ctx, sql, branchId);
  if (!head?.headTurnId) return [];
  const path = (await pathTurnsWithUserItem(sql, { headTurnId: head.headTurnId })).filter((turn) => turn.kind === "turn");
  if (path.length === 0) return [];
  // Siblings are this conversation's alternatives: a forked conversation's turns never show up in the original.
  const siblings = (await pathSiblings(sql, { headTurnId: head.headTurnId, conversationId: ctx.id })).filter((sibling) => sibling.kind === "turn");
  const byParent = new Map<string | null, { id: string }[]>();
  for (const sibling of siblings) byParent.set(sibling.parentId, [...(byParent.get(sibling.parentId) ?? []), sibling]);
  return path.map((turn) => {
    const group = [...(byParent.get(turn.parentId) ?? [])];
    // A turn read through from the conversation this one was forked from counts as its own alternative.
    if (!group.some((sibling) => sibling.id === turn.id)) {
      group.push({ id: turn.id });
      group.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    return describe(ctx, turn, group);
  });
}

/** Turns along a branch whose user message contains `term` (case-insensitive). */
export async function findTurnsByContent(ctx: SessionContext, term: string, branchId?: string): Promise<ConversationTurn[]> {
  const needle = term.toLocaleLowerCase();
  return (await getConversationTurns(ctx, branchId)).filter((turn) => turn.fullContent.toLocaleLowerCase().includes(needle));
}

/** Tool calls along a branch, counted per full tool name and turn; built-in calls by their type. */
export async function getToolUsage(ctx: SessionContext, branchId?: string): Promise<ToolUsage[]> {
  const sql = await ctx.store();
  const head = await branchHead(ctx, sql, branchId);
  if (!head?.headTurnId) return [];
  const counts = new Map<string, ToolUsage>();
  for (const row of await pathToolCallItems(sql, { headTurnId: head.headTurnId })) {
    const decoded = ctx.codec.decode(row);
    const name = decoded.ok ? toolKey(decoded.item) : null;
    if (!name) continue;
    const key = `${row.depth}\u0000${name}`;
    const entry = counts.get(key) ?? { toolName: name, count: 0, turn: row.depth };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => a.turn - b.turn || a.toolName.localeCompare(b.toolName));
}

/** For each turn, the most recently updated branch of this conversation whose path contains it. */
export async function branchesReaching(ctx: SessionContext, turnIds: string[]): Promise<Map<string, string>> {
  const sql = await ctx.store();
  await ctx.assertOwner(sql);
  const found = new Map<string, string>();
  for (const turnId of new Set(turnIds)) {
    const branchId = await branchReaching(sql, { turnId, conversationId: ctx.id });
    if (branchId) found.set(turnId, branchId);
  }
  return found;
}
