import type { AgentInputItem } from "@openai/agents";
import {
  copyTurnRows,
  deleteItemRow,
  deleteTurnRow,
  externalReaches,
  findBranchByName,
  findTurn,
  forgetLineage,
  hasChildTurn,
  insertBranch,
  insertConversation,
  insertTurnWithItems,
  isHeadOfOtherBranch,
  isTurnShared,
  listBranchRows,
  moveBranchHead,
  moveTurnsToConversation,
  ownedPathTurnIds,
  appendItemRows,
  readActiveState,
  setCompactionAt,
  touchConversation,
  turnItemRows,
  deleteBranchRow,
  type ActiveState,
  type BranchRow,
  type Sql,
} from "@/lib/db/session";
import type { DecodedItem } from "./item-codec";
import type { SessionContext } from "./context";
import { BranchNotFoundError, ConversationNotFoundError, TurnInProgressError } from "./errors";
import { newId } from "./ids";
import { isUserMessage } from "./item-meta";

export const MAIN_BRANCH = "main";

/** A branch and its head, ready to be written. */
export interface WritableBranch {
  branch: BranchRow;
  head: { id: string; depth: number; status: string; conversationId: string; kind: string; heartbeatAt: string | null; createdAt: string } | null;
}

/**
 * The branch a write goes to (the active one unless named), inside the write's transaction; on first write the
 * conversation and its `main` branch are created in that same transaction, so a failed first write leaves nothing.
 */
export async function branchForWrite(
  ctx: SessionContext,
  tx: Sql,
  options: { branchId?: string; create?: boolean; title?: string | null } = {},
): Promise<WritableBranch> {
  const state = await readActiveState(tx, { conversationId: ctx.id, branchId: options.branchId });
  if (!state) {
    if (!options.create || options.branchId !== undefined) throw new ConversationNotFoundError(ctx.id);
    const branchId = newId();
    if (!(await insertConversation(tx, { id: ctx.id, userId: ctx.userId ?? "local", title: options.title ?? null, activeBranchId: branchId }))) {
      // Another writer created it first (its row was not there to lock): lock it now and write to it.
      await tx.lockConversation(ctx.id);
      const created = await readActiveState(tx, { conversationId: ctx.id, branchId: options.branchId });
      if (!created) throw new ConversationNotFoundError(ctx.id);
      return writableFrom(ctx, tx, created, options.branchId);
    }
    await insertBranch(tx, { id: branchId, conversationId: ctx.id, name: MAIN_BRANCH });
    const now = new Date();
    return {
      branch: {
        id: branchId,
        conversationId: ctx.id,
        name: MAIN_BRANCH,
        kind: "branch",
        headTurnId: null,
        baseTurnId: null,
        forkedFromTurnId: null,
        clearedHeadTurnId: null,
        snapshotOfBranchId: null,
        createdAt: now,
        updatedAt: now,
      },
      head: null,
    };
  }
  return writableFrom(ctx, tx, state, options.branchId);
}

async function writableFrom(ctx: SessionContext, tx: Sql, state: ActiveState, branchId: string | undefined): Promise<WritableBranch> {
  if (!ctx.owns(state.userId)) throw new ConversationNotFoundError(ctx.id);
  if (state.branch && state.branch.kind === "branch") return { branch: state.branch, head: state.head };
  if (branchId !== undefined) throw new BranchNotFoundError(branchId);
  const main = await findBranchByName(tx, { conversationId: ctx.id, name: MAIN_BRANCH });
  if (!main) throw new BranchNotFoundError(MAIN_BRANCH);
  const again = await readActiveState(tx, { conversationId: ctx.id, branchId: main.id });
  return { branch: main, head: again?.head ?? null };
}

/** Position of the last compaction item in a list, or null. */
function lastCompaction(items: AgentInputItem[], offset = 0): number | null {
  for (let index = items.length - 1; index >= 0; index -= 1) {
    if ((items[index] as { type?: unknown }).type === "compaction") return offset + index;
  }
  return null;
}

/**
 * Appends items to a branch: each user message starts a turn on the branch head, other items join the head (a
 * shared head is copied first). On a branch emptied by `clearSession`, a rebuild that holds a compaction item (the
 * SDK's compaction wrapper re-adds `[retained…, compaction]`) becomes one compaction node on the path the branch had,
 * so nothing before it is lost. Returns the new head id.
 */
export async function appendToBranch(ctx: SessionContext, tx: Sql, target: WritableBranch, items: AgentInputItem[]): Promise<string | null> {
  const { branch } = target;
  if (target.head?.status === "in_progress" && items.some(isUserMessage)) throw new TurnInProgressError(target.head.id);
  if (!target.head && (branch.clearedHeadTurnId || !isUserMessage(items[0]!)) && lastCompaction(items) !== null) {
    const id = await insertCompactionNode(ctx, tx, branch, items);
    await touchConversation(tx, { id: ctx.id });
    return id;
  }
  let head: { id: string; depth: number } | null = target.head;
  let baseTurnId = branch.baseTurnId;
  const segments: AgentInputItem[][] = [];
  for (const item of items) {
    if (isUserMessage(item) || segments.length === 0) segments.push([item]);
    else segments.at(-1)!.push(item);
  }
  for (const segment of segments) {
    const encoded = segment.map((item) => ctx.codec.encode(item));
    const compactionAt = lastCompaction(segment);
    if (isUserMessage(segment[0]!)) {
      const id = newId();
      await insertTurnWithItems(
        tx,
        {
          id,
          conversationId: ctx.id,
          parentId: head?.id ?? null,
          depth: (head?.depth ?? 0) + 1,
          compactionAt,
          status: "completed",
        },
        encoded,
      );
      head = { id, depth: (head?.depth ?? 0) + 1 };
    } else if (!head) {
      const id = newId();
      await insertTurnWithItems(tx, { id, conversationId: ctx.id, parentId: null, depth: 1, compactionAt, status: "completed" }, encoded);
      head = { id, depth: 1 };
    } else {
      const owned = await ownHead(ctx, tx, branch, head, baseTurnId);
      baseTurnId = owned.baseTurnId;
      head = owned.head;
      const start = await appendItemRows(tx, { turnId: head.id, items: encoded });
      if (compactionAt !== null) await setCompactionAt(tx, { turnId: head.id, position: start + compactionAt });
    }
  }
  await moveBranchHead(tx, { id: branch.id, headTurnId: head?.id ?? null, baseTurnId });
  await touchConversation(tx, { id: ctx.id });
  return head?.id ?? null;
}

/**
 * A compaction node after the branch's head (or, on a cleared branch, after the head it had): the node's items are
 * what the model is sent from there on; the turns before it stay stored and readable. Moves the head to it.
 */
export async function insertCompactionNode(ctx: SessionContext, tx: Sql, branch: BranchRow, items: AgentInputItem[]): Promise<string> {
  const parentId = branch.headTurnId ?? branch.clearedHeadTurnId;
  const parent = parentId ? await findTurn(tx, { id: parentId }) : null;
  const id = newId();
  // A compaction node shares the number of the turn it follows; the next user turn continues the numbering.
  await insertTurnWithItems(
    tx,
    // Replay starts at the compaction item (the SDK's trimToLatestCompaction rule); what the node holds before it
    // (the compact endpoint's retained user messages) stays stored and readable, and the wrapper's coverage check of
    // the next automatic compaction sees exactly what the model was sent.
    { id, conversationId: ctx.id, parentId: parent?.id ?? null, depth: parent?.depth ?? 0, kind: "compaction", compactionAt: lastCompaction(items) ?? 0, status: "completed" },
    items.map((item) => ctx.codec.encode(item)),
  );
  let baseTurnId = branch.baseTurnId;
  if (!branch.headTurnId && parent) {
    // The path the clear kept as a snapshot is reachable through the node now; its base (what the branch inherited)
    // becomes the branch's again, so inherited and own cost stay as they were.
    for (const snapshot of await listBranchRows(tx, { conversationId: ctx.id, kind: "snapshot" })) {
      if (snapshot.snapshotOfBranchId !== branch.id || snapshot.headTurnId !== parent.id) continue;
      baseTurnId = snapshot.baseTurnId;
      await deleteBranchRow(tx, { id: snapshot.id });
    }
  }
  await moveBranchHead(tx, { id: branch.id, headTurnId: id, baseTurnId });
  return id;
}

/** The head to append to: the branch's own, or a copy when another branch (or conversation) reaches it. */
async function ownHead(
  ctx: SessionContext,
  tx: Sql,
  branch: BranchRow,
  head: { id: string; depth: number },
  baseTurnId: string | null,
): Promise<{ head: { id: string; depth: number }; baseTurnId: string | null }> {
  const turn = await findTurn(tx, { id: head.id });
  if (!turn) throw new BranchNotFoundError(branch.id);
  if (turn.conversationId === ctx.id && !(await isTurnShared(tx, { turnId: turn.id, exceptBranchId: branch.id }))) return { head, baseTurnId };
  const copyId = newId();
  await copyTurnRows(tx, { source: turn, id: copyId, conversationId: ctx.id });
  // The base moves with the head it named, so what the branch inherited stays inherited.
  return { head: { id: copyId, depth: turn.depth }, baseTurnId: baseTurnId === turn.id ? turn.parentId : baseTurnId };
}

/** What `popFromBranch` removed: the newest readable item, and the unreadable rows removed on the way. */
export interface Popped {
  item: AgentInputItem | undefined;
  skippedCorrupt: number;
}

/**
 * Removes the newest readable item of the branch's history as the model sees it (with any unreadable rows after it);
 * a turn left empty goes with its usage. A replay boundary (a compaction item) is never popped through: once the
 * items after it are gone the history is empty, and the boundary stays where they were. A turn another branch reaches
 * is never changed: the branch gets a copy without the item.
 */
export async function popFromBranch(ctx: SessionContext, tx: Sql, target: WritableBranch, decode: (row: { content: string }) => DecodedItem): Promise<Popped> {
  const { branch } = target;
  let headId = branch.headTurnId;
  let baseTurnId = branch.baseTurnId;
  let skippedCorrupt = 0;
  let popped: AgentInputItem | undefined;
  let changed = false;
  while (headId && popped === undefined) {
    const head = await findTurn(tx, { id: headId });
    if (!head) break;
    const rows = await turnItemRows(tx, { turnId: head.id });
    const visibleFrom = head.compactionAt ?? 0;
    let keep = rows.length;
    while (keep > visibleFrom && popped === undefined) {
      const decoded = decode(rows[keep - 1]!);
      keep -= 1;
      if (decoded.ok) popped = decoded.item;
      else skippedCorrupt += 1;
    }
    if (keep === rows.length) break; // nothing visible left above a boundary: the history is empty
    changed = true;
    const boundary = head.compactionAt !== null;
    const shared = head.conversationId !== ctx.id || (await isTurnShared(tx, { turnId: head.id, exceptBranchId: branch.id }));
    const nextBase = baseTurnId === head.id ? head.parentId : baseTurnId;
    if (keep === 0 && !boundary) {
      headId = head.parentId;
      baseTurnId = nextBase;
      if (!shared) await deleteTurnRow(tx, { id: head.id });
    } else if (!shared) {
      for (const row of rows.slice(keep)) await deleteItemRow(tx, { id: row.id, turnId: head.id });
    } else {
      const copyId = newId();
      await copyTurnRows(tx, { source: head, id: copyId, conversationId: ctx.id, keep });
      headId = copyId;
      baseTurnId = nextBase;
    }
    if (boundary && keep === visibleFrom) break;
  }
  if (changed) await moveBranchHead(tx, { id: branch.id, headTurnId: headId, baseTurnId, clearedHeadTurnId: branch.clearedHeadTurnId });
  return { item: popped, skippedCorrupt };
}

/** Deletes the turns from `turnId` upwards that no branch reaches any more (every leaf is some branch's head). */
export async function collectUnreachable(ctx: SessionContext, tx: Sql, turnId: string | null): Promise<void> {
  let current = turnId;
  while (current) {
    const turn = await findTurn(tx, { id: current });
    if (!turn || turn.conversationId !== ctx.id) return;
    if ((await isHeadOfOtherBranch(tx, { turnId: turn.id, exceptBranchId: null })) || (await hasChildTurn(tx, { turnId: turn.id }))) return;
    await deleteTurnRow(tx, { id: turn.id });
    current = turn.parentId;
  }
}

/**
 * Hands the turns of this conversation that a forked conversation reads through to the fork that reaches them, so
 * deleting this conversation never changes what another conversation holds.
 */
export async function releaseExternallyReachedTurns(ctx: SessionContext, tx: Sql): Promise<void> {
  // Found from the tree, not from the lineage column: after an earlier hand-over a fork may read through a
  // conversation it was not forked from (a fork of a fork, or two forks of one deleted original).
  for (const entry of await externalReaches(tx, { conversationId: ctx.id })) {
    const ours = await ownedPathTurnIds(tx, { headTurnId: entry.turnId, conversationId: ctx.id });
    if (ours.length > 0) await moveTurnsToConversation(tx, { turnIds: ours, conversationId: entry.conversationId });
  }
  await forgetLineage(tx, { conversationId: ctx.id });
}
