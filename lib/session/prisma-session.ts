import type { AgentInputItem, Session, SessionHistoryMutation, SessionHistoryTransactionArgs } from "@openai/agents";
import { configuredCipher, type ContentCipher } from "@/lib/crypto/content-cipher";
import type { Db } from "@/lib/db";
import { findConversation, readActiveState, setTitleIfUnset } from "@/lib/db/session";
import * as branches from "./branches";
import { SessionContext } from "./context";
import { ConversationNotFoundError, InvalidSessionArgumentError, TurnNotFoundError } from "./errors";
import * as history from "./history-edits";
import { newId } from "./ids";
import { ItemCodec } from "./item-codec";
import * as lifecycle from "./turn-lifecycle";
import { appendToBranch, branchForWrite, popFromBranch } from "./tree-writes";
import type { BranchSummary, BranchUsage, ConversationTurn, LedgerParts, PathEntry, SessionUsage, StartedTurn, ToolUsage, TurnStatus, TurnUsageRow } from "./types";
import * as usage from "./usage-store";
import type { UsageSource } from "./usage-counts";
import * as views from "./views";

export { MAIN_BRANCH } from "./tree-writes";
export { TurnBoundSession } from "./turn-lifecycle";
export type { StoreUsageOptions } from "./usage-store";
export type { ForkOptions } from "./branches";

export interface PrismaSessionOptions {
  /** The conversation id; a new one is generated when absent. The conversation is created on first write. */
  sessionId?: string;
  /** Prisma client; defaults to the app's client for DATABASE_URL, loaded on first use. */
  db?: Db;
  /** Owner of the conversation; a conversation of another owner is treated as absent. */
  userId?: string;
  /** Caps what `getItems()` returns when no explicit limit is given. */
  historyLimit?: number;
  /** Encrypts message content at rest; defaults to the one configured by FORKLINE_ENCRYPTION_KEY (or none). */
  cipher?: ContentCipher;
}

function checkLimit(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw new InvalidSessionArgumentError(`${name} must be a non-negative integer`);
}

/**
 * A conversation stored as a tree of turns, implementing the Agents SDK `Session` (with its compaction and history
 * transaction capabilities) on the active branch, plus branches, per-turn usage and the turn lifecycle the HTTP
 * layer needs. A facade: each concern lives in its own module.
 */
export class PrismaSession implements Session {
  /** Shared with the modules (and `TurnBoundSession`) that do the work. */
  readonly context: SessionContext;

  constructor(options: PrismaSessionOptions = {}) {
    checkLimit(options.historyLimit, "historyLimit");
    const id = options.sessionId ?? newId();
    this.context = new SessionContext(id, options.userId, options.historyLimit, new ItemCodec(options.cipher ?? configuredCipher(), id), options.db);
  }

  /** The conversation id. */
  async getSessionId(): Promise<string> {
    return this.context.id;
  }

  /** Creates the conversation with an empty `main` branch if it does not exist yet. */
  ensureConversation(init: { title?: string | null } = {}): Promise<void> {
    return history.ensureConversation(this.context, init);
  }

  /** Whether the conversation has a title. */
  async hasTitle(): Promise<boolean> {
    const conversation = await findConversation(await this.context.store(), { id: this.context.id });
    return Boolean(conversation && this.context.owns(conversation.userId) && conversation.title);
  }

  /** Sets the title unless one was set meanwhile (e.g. renamed by the user); true when it was set. */
  setTitleIfUnset(title: string): Promise<boolean> {
    return this.context.write(async (tx) => {
      await this.context.assertOwner(tx);
      return setTitleIfUnset(tx, { id: this.context.id, title });
    });
  }

  /** The active branch id, read from the database so every instance agrees (creates the conversation if needed). */
  async getCurrentBranchId(): Promise<string> {
    const state = await readActiveState(await this.context.store(), { conversationId: this.context.id });
    if (state?.branch && state.branch.kind === "branch" && this.context.owns(state.userId)) return state.branch.id;
    return this.context.write(async (tx) => (await branchForWrite(this.context, tx, { create: true })).branch.id);
  }

  /** Makes `branchId` the active branch for every instance. */
  switchToBranch(branchId: string): Promise<void> {
    return branches.switchToBranch(this.context, branchId);
  }

  // ---------------------------------------------------------------- Session protocol

  /** Items of the active branch as the model is sent them, the latest `limit` in order; never an orphaned tool output. */
  async getItems(limit?: number): Promise<AgentInputItem[]> {
    checkLimit(limit, "limit");
    return views.getItems(this.context, limit);
  }

  /** Appends to the active branch: each user message starts a turn on the branch head, other items join it. */
  async addItems(items: AgentInputItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.context.write(async (tx) => appendToBranch(this.context, tx, await branchForWrite(this.context, tx, { create: true }), items));
  }

  /** Removes and returns the newest item of the active branch; other branches keep what they hold. */
  async popItem(): Promise<AgentInputItem | undefined> {
    try {
      return await this.context.write(async (tx) => {
        const popped = await popFromBranch(this.context, tx, await branchForWrite(this.context, tx), (row) => this.context.codec.decode(row));
        return popped.item;
      });
    } catch (error) {
      if (error instanceof ConversationNotFoundError) return undefined;
      throw error;
    }
  }

  /** The active branch starts afresh; its old path is kept as a restorable snapshot; nothing is deleted. */
  clearSession(): Promise<void> {
    return history.clearSession(this.context);
  }

  /** Records a compaction node (the compaction item and its retained suffix) on the active branch. */
  replaceHistoryWithCompaction(items: AgentInputItem[]): Promise<void> {
    return history.replaceHistoryWithCompaction(this.context, items);
  }

  /** `append_items` / `replace_suffix`, atomic and applied once per `operationId`. */
  applyHistoryTransaction(args: SessionHistoryTransactionArgs): Promise<void> {
    return history.applyHistoryTransaction(this.context, args);
  }

  /** `replace_function_call` mutations of the active branch (copy-on-write where history is shared). */
  applyHistoryMutations(args: { mutations: SessionHistoryMutation[] }): Promise<void> {
    return history.applyHistoryMutations(this.context, args);
  }

  /** Deletes the conversation and everything only it reaches. */
  deleteConversation(): Promise<void> {
    return history.deleteConversation(this.context);
  }

  // ---------------------------------------------------------------- usage

  /** Adds a run's usage to a turn (the active branch's head by default), priced for the model; never throws. */
  storeRunUsage(source: UsageSource, options: usage.StoreUsageOptions = {}): Promise<void> {
    return usage.storeRunUsage(this.context, source, options);
  }

  /** Totals for the whole conversation (each turn once), or along one branch's path; null when nothing was recorded. */
  getSessionUsage(branchId?: string): Promise<SessionUsage | null> {
    return usage.getSessionUsage(this.context, branchId);
  }

  /** A branch's cost split into what it inherited up to its fork point and what was spent on it since. */
  getBranchUsage(branchId?: string): Promise<BranchUsage> {
    return usage.getBranchUsage(this.context, branchId);
  }

  /** The summed usage of one turn of this conversation (its calls; overhead such as its title excluded); null when none. */
  getUsageOfTurn(turnId: string): Promise<SessionUsage | null> {
    return usage.getUsageOfTurn(this.context, turnId);
  }

  /** The conversation's overhead (title calls) and the calls of turns deleted since; both stay in its total. */
  getLedgerParts(): Promise<LedgerParts> {
    return usage.getLedgerParts(this.context);
  }

  /** Per-turn usage along a branch, ordered by turn, each with its calls; one turn only when `turnNumber` is given. */
  getTurnUsage(turnNumber?: number, branchId?: string): Promise<TurnUsageRow[]> {
    return usage.getTurnUsage(this.context, turnNumber, branchId);
  }

  // ---------------------------------------------------------------- branches

  /**
   * Forks a branch (the active one, or `fromBranchId`) at turn `n` and switches to the fork. Exclusive (default)
   * holds turns 1..n-1, so the next message replaces turn n; inclusive holds 1..n. Writes one row.
   */
  createBranchFromTurn(turnNumber: number, options: branches.ForkOptions = {}): Promise<string> {
    return branches.createBranchFromTurn(this.context, turnNumber, options);
  }

  /** As `createBranchFromTurn`, from the earliest user turn on the branch whose text contains `term`. */
  async createBranchFromContent(term: string, options: branches.ForkOptions = {}): Promise<string> {
    const [match] = await this.findTurnsByContent(term, options.fromBranchId);
    if (!match) throw new TurnNotFoundError(`containing "${term}"`);
    return this.createBranchFromTurn(match.turn, options);
  }

  /** Branches oldest first, with head turn number, item count along the path, and fork point. */
  async listBranches(): Promise<BranchSummary[]> {
    const state = await readActiveState(await this.context.store(), { conversationId: this.context.id });
    if (!state || !this.context.owns(state.userId)) throw new ConversationNotFoundError(this.context.id);
    return branches.listBranches(this.context, state.branch?.id ?? "");
  }

  renameBranch(branchId: string, name: string): Promise<void> {
    return branches.renameBranch(this.context, branchId, name);
  }

  /** Deletes a branch and the turns no surviving branch reaches; `main` never, the current one only with `force`. */
  deleteBranch(branchId: string, options: { force?: boolean } = {}): Promise<void> {
    return branches.deleteBranch(this.context, branchId, options);
  }

  /** The hidden snapshots `clearSession` kept. */
  listSnapshots(): ReturnType<typeof branches.listSnapshots> {
    return branches.listSnapshots(this.context);
  }

  /** Makes a snapshot a visible branch again and switches to it. */
  restoreSnapshot(snapshotId: string, options: { name?: string } = {}): Promise<string> {
    return branches.restoreSnapshot(this.context, snapshotId, options);
  }

  /** A new conversation whose first turns are read through this one (no copy), recording its lineage. */
  forkToNewConversation(turnNumber: number, options: { inclusive?: boolean; title?: string; branchId?: string } = {}): Promise<string> {
    return history.forkToNewConversation(this.context, turnNumber, options);
  }

  // ---------------------------------------------------------------- read views

  /** User turns along a branch (full history, compacted turns included) with previews, status and siblings. */
  getConversationTurns(branchId?: string): Promise<ConversationTurn[]> {
    return views.getConversationTurns(this.context, branchId);
  }

  /** For each turn, the most recently updated branch of this conversation whose path contains it. */
  branchesReaching(turnIds: string[]): Promise<Map<string, string>> {
    return views.branchesReaching(this.context, turnIds);
  }

  /** Turns along a branch whose user message contains `term` (case-insensitive). */
  findTurnsByContent(term: string, branchId?: string): Promise<ConversationTurn[]> {
    return views.findTurnsByContent(this.context, term, branchId);
  }

  /** Tool calls along a branch, counted per full tool name and turn. */
  getToolUsage(branchId?: string): Promise<ToolUsage[]> {
    return views.getToolUsage(this.context, branchId);
  }

  /** The readable items of one turn of this conversation, in order. */
  getTurnItems(turnId: string): Promise<AgentInputItem[]> {
    return views.getTurnItems(this.context, turnId);
  }

  /** Every item on a branch's full path, for display; a row that cannot be read is an entry saying so. */
  getPathItems(branchId?: string): Promise<PathEntry[]> {
    return views.getPathItems(this.context, branchId);
  }

  /** The items of some of this conversation's path turns (ids from `getConversationTurns`), for a page of the display. */
  getItemsOfTurns(turnIds: string[]): Promise<PathEntry[]> {
    return views.getItemsOfTurns(this.context, turnIds);
  }

  // ---------------------------------------------------------------- turn lifecycle (used by the HTTP runner)

  /** Stores the user's message as a new running turn before any model is called; see `turn-lifecycle.ts`. */
  beginTurn(input: string | AgentInputItem, options: lifecycle.BeginTurnOptions = {}): Promise<StartedTurn> {
    return lifecycle.beginTurn(this.context, input, options);
  }

  /** A `Session` bound to one running turn, for `run(agent, userText, { session })`. */
  turnSession(turnId: string): lifecycle.TurnBoundSession {
    return new lifecycle.TurnBoundSession(this, turnId);
  }

  /** History before a turn (its ancestors' items), honouring the history limit. */
  historyBefore(turnId: string, limit?: number): Promise<AgentInputItem[]> {
    return views.historyBefore(this.context, turnId, limit);
  }

  /** The history a new turn on a branch (default: the active one) would be sent, honouring the history limit. */
  historyAtBranchHead(branchId?: string, limit?: number): Promise<AgentInputItem[]> {
    return views.historyAtBranchHead(this.context, branchId, limit);
  }

  /** Appends items to a turn of this conversation (e.g. a stopped reply's partial text). */
  appendToTurn(turnId: string, items: AgentInputItem[]): Promise<void> {
    return lifecycle.appendToTurn(this.context, turnId, items);
  }

  /** Ends a running turn with a final status; a turn that already ended is left as it is. */
  finishTurn(turnId: string, status: Exclude<TurnStatus, "in_progress">, error?: { code: string; message: string }): Promise<boolean> {
    return lifecycle.finishTurn(this.context, turnId, status, error);
  }

  /** Asks the runner of a turn to stop; any instance can ask, the runner polls. */
  requestStop(turnId: string): Promise<void> {
    return lifecycle.requestStop(this.context, turnId);
  }

  /** Whether a stop was requested for a running turn; also refreshes its heartbeat. */
  heartbeat(turnId: string): Promise<{ stopRequested: boolean }> {
    return lifecycle.heartbeat(this.context, turnId);
  }
}
