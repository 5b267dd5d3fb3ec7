import { createHash } from "node:crypto";
import type { AgentInputItem, SessionHistoryMutation, SessionHistoryTransactionArgs } from "@openai/agents";
import { isAgentItem } from "./item-schema";
import {
  copyTurnRows,
  deleteConversationRows,
  findConversation,
  findHistoryOperation,
  insertBranch,
  insertConversation,
  isReachedByOtherBranch,
  moveBranchHead,
  pathItems,
  pathTurns,
  recordHistoryOperation,
  renumberItems,
  replaceItemContent,
  turnItemRows,
  deleteItemRow,
  touchConversation,
  turnAtDepth,
  type Sql,
} from "@/lib/db/session";
import { snapshotBranch } from "./branches";
import type { SessionContext } from "./context";
import { ConversationNotFoundError, HistoryOperationConflictError, HistorySuffixMismatchError, InvalidSessionArgumentError, TurnNotFoundError } from "./errors";
import { newId } from "./ids";
import { appendToBranch, branchForWrite, insertCompactionNode, MAIN_BRANCH, popFromBranch, releaseExternallyReachedTurns, type WritableBranch } from "./tree-writes";
import { branchHead } from "./views";

/**
 * The active branch starts afresh and stays current; nothing is deleted. Its old path is kept as a hidden,
 * restorable snapshot, and a rebuild that begins with a compaction item continues that path as a compaction node
 * (what the SDK's compaction wrapper does: clear, then re-add the compacted items).
 */
export async function clearSession(ctx: SessionContext): Promise<void> {
  await ctx.write(async (tx) => {
    const conversation = await findConversation(tx, { id: ctx.id });
    if (!conversation || !ctx.owns(conversation.userId)) return;
    const { branch } = await branchForWrite(ctx, tx);
    if (!branch.headTurnId) return;
    await snapshotBranch(ctx, tx, branch);
    await moveBranchHead(tx, { id: branch.id, headTurnId: null, baseTurnId: null, clearedHeadTurnId: branch.headTurnId });
    await touchConversation(tx, { id: ctx.id });
  });
}

/**
 * Records a compaction node on the active branch: the compaction item and the retained items after it, as a node on
 * the path (replay starts there; the turns before it stay stored and readable; other branches are untouched).
 */
export async function replaceHistoryWithCompaction(ctx: SessionContext, items: AgentInputItem[]): Promise<void> {
  if ((items[0] as { type?: unknown } | undefined)?.type !== "compaction") {
    throw new InvalidSessionArgumentError("a compaction replacement starts with a compaction item");
  }
  await ctx.write(async (tx) => {
    const { branch } = await branchForWrite(ctx, tx, { create: true });
    await insertCompactionNode(ctx, tx, branch, items);
    await touchConversation(tx, { id: ctx.id });
  });
}

/** JSON with sorted keys, for comparing items and digesting transactions. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function validItems(items: unknown, what: string): AgentInputItem[] {
  if (!Array.isArray(items)) throw new InvalidSessionArgumentError(`${what} must be a list of items`);
  for (const item of items) {
    if (!isAgentItem(item)) throw new InvalidSessionArgumentError(`${what} holds an item that is not an Agents SDK item`);
  }
  return JSON.parse(JSON.stringify(items)) as AgentInputItem[];
}

/**
 * Applies an `append_items` or `replace_suffix` history transaction atomically, once per operation id: a retry with
 * the same transaction changes nothing; the same id with another transaction, or a suffix that no longer matches,
 * is refused before anything changes.
 */
export async function applyHistoryTransaction(ctx: SessionContext, args: SessionHistoryTransactionArgs): Promise<void> {
  const operationId = args?.operationId;
  if (typeof operationId !== "string" || !operationId.trim()) throw new InvalidSessionArgumentError("operationId must be a non-empty string");
  const transaction = args.transaction;
  if (!transaction || (transaction.type !== "append_items" && transaction.type !== "replace_suffix")) {
    throw new InvalidSessionArgumentError("unsupported history transaction");
  }
  const snapshot =
    transaction.type === "append_items"
      ? { type: transaction.type, items: validItems(transaction.items, "items") }
      : { type: transaction.type, expectedSuffix: validItems(transaction.expectedSuffix, "expectedSuffix"), replacement: validItems(transaction.replacement, "replacement") };
  const digest = createHash("sha256").update(canonical(snapshot)).digest("hex");
  await ctx.write(async (tx) => {
    const target = await branchForWrite(ctx, tx, { create: true });
    const applied = await findHistoryOperation(tx, { conversationId: ctx.id, operationId });
    if (applied !== null) {
      if (applied !== digest) throw new HistoryOperationConflictError(operationId);
      return;
    }
    if (snapshot.type === "append_items") {
      if (snapshot.items.length > 0) await appendToBranch(ctx, tx, target, snapshot.items);
    } else {
      await replaceSuffix(ctx, tx, target, snapshot.expectedSuffix, snapshot.replacement);
    }
    await recordHistoryOperation(tx, { conversationId: ctx.id, operationId, digest });
  });
}

async function replaceSuffix(ctx: SessionContext, tx: Sql, target: WritableBranch, expected: AgentInputItem[], replacement: AgentInputItem[]): Promise<void> {
  if (expected.length > 0) {
    const rows = target.branch.headTurnId ? await pathItems(tx, { anchor: { turnId: target.branch.headTurnId }, limit: expected.length, replay: true }) : [];
    const actual = rows.map((row) => ctx.codec.decode(row));
    const matches =
      actual.length === expected.length && actual.every((decoded, index) => decoded.ok && canonical(decoded.item) === canonical(expected[index]));
    if (!matches) throw new HistorySuffixMismatchError();
  }
  let branch = target;
  for (let removed = 0; removed < expected.length; removed += 1) {
    await popFromBranch(ctx, tx, branch, (row) => ctx.codec.decode(row));
    branch = await branchForWrite(ctx, tx, { branchId: target.branch.id });
  }
  if (replacement.length > 0) await appendToBranch(ctx, tx, branch, replacement);
}

/**
 * Rewrites the active branch's history (`replace_function_call`: the first call with that id replaced, later
 * duplicates removed). A turn another branch reaches is copied first, with everything after it on this branch.
 */
export async function applyHistoryMutations(ctx: SessionContext, args: { mutations: SessionHistoryMutation[] }): Promise<void> {
  const mutations = args?.mutations ?? [];
  for (const mutation of mutations) {
    if (mutation?.type !== "replace_function_call") throw new InvalidSessionArgumentError("unsupported history mutation");
    validItems([mutation.replacement], "replacement");
  }
  if (mutations.length === 0) return;
  await ctx.write(async (tx) => {
    for (const mutation of mutations) {
      const target = await branchForWrite(ctx, tx);
      if (!target.branch.headTurnId) return;
      const rows = await pathItems(tx, { anchor: { turnId: target.branch.headTurnId }, replay: true });
      const matching = rows.filter((row) => row.type === "function_call" && row.callId === mutation.callId);
      if (matching.length === 0) continue;
      const owned = await ownPathFrom(ctx, tx, target, matching[0]!.turnId);
      let first = true;
      const thinned = new Set<string>();
      for (const row of matching) {
        const turnId = owned.get(row.turnId) ?? row.turnId;
        const copy = (await turnItemRows(tx, { turnId })).find((candidate) => candidate.position === row.position);
        if (!copy) continue;
        if (first) await replaceItemContent(tx, { id: copy.id, item: ctx.codec.encode(mutation.replacement as AgentInputItem) });
        else {
          await deleteItemRow(tx, { id: copy.id, turnId });
          thinned.add(turnId);
        }
        first = false;
      }
      // Removing from the middle of a turn leaves a gap in its positions; appends and copies need them dense. The
      // loop above matched rows by their old positions, so the renumbering waits until it is done.
      for (const turnId of thinned) await renumberItems(tx, { turnId });
    }
  });
}

/**
 * Makes the turns from `turnId` to the branch head the branch's own: turns another branch (or conversation) reaches
 * are copied, with their descendants on this path re-linked to the copies. Returns original id → copy id.
 */
async function ownPathFrom(ctx: SessionContext, tx: Sql, target: WritableBranch, turnId: string): Promise<Map<string, string>> {
  const copies = new Map<string, string>();
  const path = await pathTurns(tx, { headTurnId: target.branch.headTurnId });
  const start = path.findIndex((turn) => turn.id === turnId);
  if (start < 0) throw new TurnNotFoundError(turnId);
  const first = path[start]!;
  if (first.conversationId === ctx.id && !(await isReachedByOtherBranch(tx, { turnId: first.id, branchId: target.branch.id }))) return copies;
  let parentId = first.parentId;
  for (const turn of path.slice(start)) {
    const id = newId();
    await copyTurnRows(tx, { source: turn, id, conversationId: ctx.id, parentId });
    copies.set(turn.id, id);
    parentId = id;
  }
  const base = target.branch.baseTurnId && copies.has(target.branch.baseTurnId) ? first.parentId : target.branch.baseTurnId;
  await moveBranchHead(tx, { id: target.branch.id, headTurnId: parentId, baseTurnId: base });
  return copies;
}

/** Creates the conversation with an empty `main` branch if it does not exist yet (one transaction). */
export async function ensureConversation(ctx: SessionContext, init: { title?: string | null } = {}): Promise<void> {
  await ctx.write(async (tx) => {
    await branchForWrite(ctx, tx, { create: true, title: init.title ?? null });
  });
}

/** Deletes the conversation and everything only it reaches (forks keep what they read through). */
export async function deleteConversation(ctx: SessionContext): Promise<void> {
  await ctx.write(async (tx) => {
    const conversation = await findConversation(tx, { id: ctx.id });
    if (!conversation || !ctx.owns(conversation.userId)) throw new ConversationNotFoundError(ctx.id);
    await releaseExternallyReachedTurns(ctx, tx);
    await deleteConversationRows(tx, { id: ctx.id });
  });
}

/**
 * A new conversation whose first turns are read through this one (no copy), recording its lineage. Inclusive
 * (default) ends with turn n; exclusive ends before it. Returns the new conversation id.
 */
export async function forkToNewConversation(
  ctx: SessionContext,
  turnNumber: number,
  options: { inclusive?: boolean; title?: string; branchId?: string } = {},
): Promise<string> {
  const id = newId();
  await ctx.write(async (tx) => {
    const head = await branchHead(ctx, tx, options.branchId);
    if (!head) throw new ConversationNotFoundError(ctx.id);
    const forkTurn = await turnAtDepth(tx, { headTurnId: head.headTurnId, depth: turnNumber });
    if (!forkTurn) throw new TurnNotFoundError(String(turnNumber));
    const source = (await findConversation(tx, { id: ctx.id }))!;
    const baseTurnId = options.inclusive === false ? forkTurn.parentId : forkTurn.id;
    const mainId = newId();
    await insertConversation(tx, {
      id,
      userId: source.userId,
      title: options.title ?? (source.title ? `${source.title} (fork)` : null),
      activeBranchId: mainId,
      forkedFromConversationId: ctx.id,
      forkedFromTurnId: forkTurn.id,
    });
    await insertBranch(tx, { id: mainId, conversationId: id, name: MAIN_BRANCH, headTurnId: baseTurnId, baseTurnId, forkedFromTurnId: forkTurn.id });
  });
  return id;
}
