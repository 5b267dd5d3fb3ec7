import {
  conversationUsageParts,
  conversationUsageSums,
  insertUsageOnActiveHead,
  insertUsageOnTurn,
  findTurn,
  pathTurns,
  pathUsageLines,
  toUnpricedModels,
  pathUsageSums,
  readActiveState,
  turnUsageLines,
  type NewUsage,
  type Sql,
  type UsageLine,
} from "@/lib/db/session";
import { costMicros, priceFor } from "@/lib/pricing/prices";
import { cacheSavingsMicros } from "@/lib/pricing/reprice";
import { ZERO_SUMS, rowTotals, subtractSums, sumsToTotals, sumUsage } from "@/lib/usage/totals";
import type { SessionContext } from "./context";
import { BranchNotFoundError } from "./errors";
import type { BranchUsage, LedgerParts, SessionUsage, TurnUsageRow, UsageCall } from "./types";
import { isEmptyUsage, toUsageCounts, usageParts, type UsageCounts, type UsageSource } from "./usage-counts";

export interface StoreUsageOptions {
  model?: string | null;
  /** "turn" (default) or another purpose such as "title" or "compaction"; all count toward the conversation. */
  purpose?: string;
  /** True when the counts were made with a tokenizer because the server sent none. */
  estimated?: boolean;
  /** The turn to charge; defaults to the head of the active branch. */
  turnId?: string;
}

/** Purposes that are the conversation's overhead: recorded on the turn that caused them, never inherited by forks. */
const OVERHEAD_PURPOSES = new Set(["title"]);

/** Adds a run's usage to a turn (the active branch's head by default), priced for the model; never throws. */
export async function storeRunUsage(ctx: SessionContext, source: UsageSource, options: StoreUsageOptions = {}): Promise<void> {
  try {
    const parts = options.purpose ? [{ purpose: options.purpose, counts: toUsageCounts(source) }] : usageParts(source);
    for (const part of parts) await storePart(ctx, part.purpose, part.counts, options);
  } catch (error) {
    console.error("storeRunUsage failed", error);
  }
}

async function storePart(ctx: SessionContext, purpose: string, counts: UsageCounts, options: StoreUsageOptions): Promise<void> {
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`usage ${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  if (isEmptyUsage(counts)) return;
  const sql = await ctx.store();
  await ctx.assertOwner(sql);
  let turnId = options.turnId;
  let model = options.model ?? null;
  if (!model) {
    // The charged turn's own model prices it when the caller names none; past a compaction node that is the turn
    // that ran before it (the node carries only compaction usage).
    if (turnId === undefined) {
      const head = (await readActiveState(sql, { conversationId: ctx.id }))?.head;
      if (!head) return;
      turnId = head.kind === "compaction" && purpose !== "compaction" && head.parentId ? head.parentId : head.id;
    }
    model = (await findTurn(sql, { id: turnId, conversationId: ctx.id }))?.model ?? null;
  }
  const price = priceFor(model);
  const usage: NewUsage = {
    purpose,
    scope: OVERHEAD_PURPOSES.has(purpose) ? "conversation" : "turn",
    model,
    ...counts,
    estimated: options.estimated ?? false,
    costMicros: price ? costMicros(counts, price) : null,
    inputPricePerMillion: price?.inputPerMillion ?? null,
    cachedPricePerMillion: price?.cachedPerMillion ?? null,
    outputPricePerMillion: price?.outputPerMillion ?? null,
    priceFrom: price?.from ?? null,
    cacheSavingsMicros: price ? cacheSavingsMicros({ ...counts, inputPricePerMillion: price.inputPerMillion, cachedPricePerMillion: price.cachedPerMillion }) : 0,
  };
  const target = turnId;
  const insert = (tx: Sql) =>
    target === undefined
      ? insertUsageOnActiveHead(tx, { conversationId: ctx.id, usage })
      : insertUsageOnTurn(tx, { turnId: target, conversationId: ctx.id, usage });
  // One statement is atomic on SQLite (one writer at a time); on PostgreSQL two inserts on one turn could both see
  // "no row yet" (firstOfTurn), so they run under the conversation's lock.
  if (sql.provider === "postgres") await ctx.write(insert);
  else await ctx.writeOne(insert);
}

async function headOf(ctx: SessionContext, branchId: string | undefined): Promise<{ headTurnId: string | null; baseTurnId: string | null; id: string } | null> {
  const state = await readActiveState(await ctx.store(), { conversationId: ctx.id, branchId });
  if (!state || !ctx.owns(state.userId)) return null;
  if (!state.branch || state.branch.kind !== "branch") {
    if (branchId !== undefined) throw new BranchNotFoundError(branchId);
    return null;
  }
  return state.branch;
}

/** Totals for the whole conversation (each turn once), or along one branch's path; null when nothing was recorded. */
export async function getSessionUsage(ctx: SessionContext, branchId?: string): Promise<SessionUsage | null> {
  const sql = await ctx.store();
  if (branchId === undefined) return sumsToTotals(await conversationUsageSums(sql, { conversationId: ctx.id, userId: ctx.userId }));
  const branch = await headOf(ctx, branchId);
  return branch ? sumsToTotals(await pathUsageSums(sql, { headTurnId: branch.headTurnId })) : null;
}

/** The conversation's overhead and the calls of its deleted turns. */
export async function getLedgerParts(ctx: SessionContext): Promise<LedgerParts> {
  const sql = await ctx.store();
  await ctx.assertOwner(sql);
  const parts = await conversationUsageParts(sql, { conversationId: ctx.id });
  return { overhead: sumsToTotals(parts.overhead), deleted: sumsToTotals(parts.deleted) };
}

/** A branch's cost split into what it inherited up to its fork point and what was spent on it since. */
export async function getBranchUsage(ctx: SessionContext, branchId?: string): Promise<BranchUsage> {
  const branch = await headOf(ctx, branchId);
  if (!branch) throw new BranchNotFoundError(branchId ?? "active");
  const sql = await ctx.store();
  const [total, inherited] = await Promise.all([pathUsageSums(sql, { headTurnId: branch.headTurnId }), pathUsageSums(sql, { headTurnId: branch.baseTurnId })]);
  const ownUnpriced = total.unpricedCalls > inherited.unpricedCalls ? await ownUnpricedModels(sql, ctx.id, branch.headTurnId, branch.baseTurnId) : [];
  return {
    branchId: branch.id,
    inherited: sumsToTotals(inherited),
    own: sumsToTotals(subtractSums(total, inherited, ownUnpriced)),
    total: sumsToTotals(total),
  };
}

/** The models of unpriced calls on a branch's own turns (below its base); read only when it has some. */
async function ownUnpricedModels(sql: Sql, conversationId: string, headTurnId: string | null, baseTurnId: string | null): Promise<string[]> {
  const inherited = new Set((await pathTurns(sql, { headTurnId: baseTurnId })).map((turn) => turn.id));
  const own = (await pathUsageLines(sql, { headTurnId, conversationId })).filter((line) => line.scope === "turn" && line.costMicros === null && !inherited.has(line.turnId));
  return toUnpricedModels(own);
}

const toCall = (line: UsageLine): UsageCall => ({
  id: line.id,
  purpose: line.purpose,
  model: line.model,
  overhead: line.scope === "conversation",
  createdAt: line.createdAt,
  usage: rowTotals(line),
});

/** The summed usage of one turn of this conversation (every call it made; overhead such as its title excluded); null when none. */
export async function getUsageOfTurn(ctx: SessionContext, turnId: string): Promise<SessionUsage | null> {
  const sql = await ctx.store();
  await ctx.assertOwner(sql);
  const total = sumUsage((await turnUsageLines(sql, { turnId, conversationId: ctx.id })).filter((line) => line.scope === "turn"));
  return total ? { ...total, turns: 1 } : null;
}

/** Per-turn usage along a branch, ordered by turn, each with its calls; one turn only when `turnNumber` is given. */
export async function getTurnUsage(ctx: SessionContext, turnNumber?: number, branchId?: string): Promise<TurnUsageRow[]> {
  const branch = await headOf(ctx, branchId);
  if (!branch) return [];
  const sql = await ctx.store();
  const path = await pathTurns(sql, { headTurnId: branch.headTurnId });
  const turns = turnNumber === undefined ? path : path.filter((turn) => turn.depth === turnNumber);
  if (turns.length === 0) return [];
  const linesByTurn = new Map<string, UsageLine[]>();
  for (const line of await pathUsageLines(sql, { headTurnId: branch.headTurnId, conversationId: ctx.id })) linesByTurn.set(line.turnId, [...(linesByTurn.get(line.turnId) ?? []), line]);
  return turns.flatMap((turn) => {
    const lines = linesByTurn.get(turn.id) ?? [];
    if (lines.length === 0) return [];
    const own = lines.filter((line) => line.scope === "turn");
    const total = sumUsage(own) ?? sumsToTotals({ ...ZERO_SUMS, rows: 1 })!;
    const models = [...new Set(own.map((line) => line.model).filter((model): model is string => Boolean(model)))];
    return [{ ...total, turn: turn.depth, turnId: turn.id, kind: turn.kind, models, calls: lines.map(toCall) }];
  });
}
