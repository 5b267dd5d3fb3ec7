import {
  countBranches,
  deleteBranchRow,
  findBranch,
  findBranchByName,
  findTurn,
  insertBranch,
  listBranchRows,
  moveBranchHead,
  pathItemCount,
  setActiveBranch,
  touchConversation,
  turnAtDepth,
  updateBranchNameAndKind,
  type Sql,
} from "@/lib/db/session";
import type { SessionContext } from "./context";
import {
  BranchIsCurrentError,
  BranchNameTakenError,
  BranchNotFoundError,
  CannotDeleteMainError,
  InvalidSessionArgumentError,
  SnapshotNotFoundError,
  TurnNotFoundError,
} from "./errors";
import { newId } from "./ids";
import { branchForWrite, collectUnreachable, MAIN_BRANCH } from "./tree-writes";
import type { BranchSummary } from "./types";

export interface ForkOptions {
  name?: string;
  inclusive?: boolean;
  /** The branch to fork (default: the active one), so two tabs editing one turn each get their own branch. */
  fromBranchId?: string;
}

async function uniqueName(ctx: SessionContext, tx: Sql, requested: string | undefined): Promise<string> {
  if (requested !== undefined) {
    const name = requested.trim();
    if (!name) throw new InvalidSessionArgumentError("branch name must not be empty");
    if (await findBranchByName(tx, { conversationId: ctx.id, name })) throw new BranchNameTakenError(name);
    return name;
  }
  for (let n = (await countBranches(tx, { conversationId: ctx.id })) + 1; ; n += 1) {
    const name = `branch-${n}`;
    if (!(await findBranchByName(tx, { conversationId: ctx.id, name }))) return name;
  }
}

/** Forks a branch at turn `n` and makes the fork active; writes one row whatever the conversation's length. */
export async function createBranchFromTurn(ctx: SessionContext, turnNumber: number, options: ForkOptions = {}): Promise<string> {
  if (!Number.isInteger(turnNumber) || turnNumber < 1) throw new InvalidSessionArgumentError("turn number must be a positive integer");
  return ctx.write(async (tx) => {
    const { branch: source } = await branchForWrite(ctx, tx, { branchId: options.fromBranchId });
    const forkTurn = await turnAtDepth(tx, { headTurnId: source.headTurnId, depth: turnNumber });
    if (!forkTurn) throw new TurnNotFoundError(String(turnNumber));
    const baseTurnId = options.inclusive ? forkTurn.id : forkTurn.parentId;
    const id = newId();
    await insertBranch(tx, {
      id,
      conversationId: ctx.id,
      name: await uniqueName(ctx, tx, options.name),
      headTurnId: baseTurnId,
      baseTurnId,
      forkedFromTurnId: forkTurn.id,
    });
    await touchConversation(tx, { id: ctx.id, activeBranchId: id });
    return id;
  });
}

/** Makes a branch active for every instance; one conditional statement, so it can never point at a deleted branch. */
export async function switchToBranch(ctx: SessionContext, branchId: string): Promise<void> {
  const switched = await ctx.write(async (tx) => {
    await branchForWrite(ctx, tx, { branchId });
    return setActiveBranch(tx, { conversationId: ctx.id, branchId });
  });
  if (!switched) throw new BranchNotFoundError(branchId);
}

/** Visible branches oldest first, with head turn number, item count along the path and fork point. */
export async function listBranches(ctx: SessionContext, activeBranchId: string): Promise<BranchSummary[]> {
  const sql = await ctx.store();
  const branches = await listBranchRows(sql, { conversationId: ctx.id, kind: "branch" });
  return Promise.all(
    branches.map(async (branch) => {
      const [head, forkTurn, itemCount] = await Promise.all([
        branch.headTurnId ? findTurn(sql, { id: branch.headTurnId }) : null,
        branch.forkedFromTurnId ? findTurn(sql, { id: branch.forkedFromTurnId }) : null,
        pathItemCount(sql, { headTurnId: branch.headTurnId }),
      ]);
      return {
        id: branch.id,
        name: branch.name,
        headTurnNumber: head?.depth ?? 0,
        itemCount,
        isCurrent: branch.id === activeBranchId,
        forkedFromTurn: forkTurn?.depth ?? null,
        createdAt: branch.createdAt,
      };
    }),
  );
}

export async function renameBranch(ctx: SessionContext, branchId: string, name: string): Promise<void> {
  await ctx.write(async (tx) => {
    const { branch } = await branchForWrite(ctx, tx, { branchId });
    const trimmed = name.trim();
    if (!trimmed) throw new InvalidSessionArgumentError("branch name must not be empty");
    if (trimmed === branch.name) return;
    if (branch.name === MAIN_BRANCH) throw new InvalidSessionArgumentError("the main branch cannot be renamed");
    if (await findBranchByName(tx, { conversationId: ctx.id, name: trimmed })) throw new BranchNameTakenError(trimmed);
    await updateBranchNameAndKind(tx, { id: branch.id, name: trimmed, kind: "branch" });
  });
}

/** Deletes a branch and the turns nothing reaches any more; `main` never, the current one only with `force`. */
export async function deleteBranch(ctx: SessionContext, branchId: string, options: { force?: boolean } = {}): Promise<void> {
  await ctx.write(async (tx) => {
    const { branch: active } = await branchForWrite(ctx, tx);
    const { branch } = await branchForWrite(ctx, tx, { branchId });
    if (branch.name === MAIN_BRANCH) throw new CannotDeleteMainError();
    if (branch.id === active.id && !options.force) throw new BranchIsCurrentError();
    await deleteBranchRow(tx, { id: branch.id });
    if (branch.id === active.id) {
      const main = await findBranchByName(tx, { conversationId: ctx.id, name: MAIN_BRANCH });
      if (!main) throw new BranchNotFoundError(MAIN_BRANCH);
      await touchConversation(tx, { id: ctx.id, activeBranchId: main.id });
    }
    await collectUnreachable(ctx, tx, branch.headTurnId);
  });
}

/** A hidden, restorable copy of a branch's path: one row pointing at its head (nothing is copied). */
export async function snapshotBranch(ctx: SessionContext, tx: Sql, branch: { id: string; name: string; headTurnId: string | null; baseTurnId: string | null; forkedFromTurnId: string | null }): Promise<string | null> {
  if (!branch.headTurnId) return null;
  const id = newId();
  await insertBranch(tx, {
    id,
    conversationId: ctx.id,
    name: `${branch.name}~${id}`,
    kind: "snapshot",
    headTurnId: branch.headTurnId,
    baseTurnId: branch.baseTurnId,
    forkedFromTurnId: branch.forkedFromTurnId,
    snapshotOfBranchId: branch.id,
  });
  return id;
}

/** The snapshots `clearSession` kept, oldest first. */
export async function listSnapshots(ctx: SessionContext): Promise<{ id: string; ofBranchId: string | null; headTurnId: string | null; createdAt: Date }[]> {
  const sql = await ctx.store();
  await ctx.assertOwner(sql);
  const rows = await listBranchRows(sql, { conversationId: ctx.id, kind: "snapshot" });
  return rows.map((row) => ({ id: row.id, ofBranchId: row.snapshotOfBranchId, headTurnId: row.headTurnId, createdAt: row.createdAt }));
}

/** Turns a snapshot back into a visible branch (named, or `restored-n`) and makes it active. */
export async function restoreSnapshot(ctx: SessionContext, snapshotId: string, options: { name?: string } = {}): Promise<string> {
  return ctx.write(async (tx) => {
    await branchForWrite(ctx, tx);
    const snapshot = await findBranch(tx, { conversationId: ctx.id, id: snapshotId });
    if (!snapshot || snapshot.kind !== "snapshot") throw new SnapshotNotFoundError(snapshotId);
    await updateBranchNameAndKind(tx, { id: snapshot.id, name: await uniqueName(ctx, tx, options.name), kind: "branch" });
    await moveBranchHead(tx, { id: snapshot.id, headTurnId: snapshot.headTurnId, baseTurnId: snapshot.baseTurnId });
    await touchConversation(tx, { id: ctx.id, activeBranchId: snapshot.id });
    return snapshot.id;
  });
}
