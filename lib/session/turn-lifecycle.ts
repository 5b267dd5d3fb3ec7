import type { AgentInputItem, Session } from "@openai/agents";
import {
  appendItemRows,
  beatTurn,
  findTurn,
  finishTurnRow,
  insertTurnWithItems,
  markInterrupted,
  moveBranchHead,
  requestTurnStop,
  setCompactionAt,
  touchConversation,
  turnSettingsRow,
} from "@/lib/db/session";
import type { SessionContext } from "./context";
import { InvalidSessionArgumentError, TurnInProgressError, TurnNotFoundError, TurnNotRunningError } from "./errors";
import { newId } from "./ids";
import { isUserMessage, userMessage } from "./item-meta";
import { branchForWrite } from "./tree-writes";
import type { StartedTurn, TurnStatus } from "./types";
import { historyBefore } from "./views";

export interface BeginTurnOptions {
  branchId?: string;
  model?: string | null;
  runnerId?: string;
  /** A running head whose heartbeat is older than this is marked interrupted instead of refusing the new turn. */
  staleAfterMs?: number;
  /** What the model is sent for this turn, recorded on it (the instructions sealed like message content). */
  settings?: TurnSettings;
}

/** The system prompt and sampling settings a turn is sent with; null = not sent (the provider's default). */
export interface TurnSettings {
  instructions: string | null;
  temperature: number | null;
  maxOutputTokens: number | null;
}

/**
 * Stores the user's message as a new `in_progress` turn on a branch (the active one by default, which it makes
 * active) before any model is called. Refuses with `turn_in_progress` while the branch head is still running.
 */
export async function beginTurn(ctx: SessionContext, input: string | AgentInputItem, options: BeginTurnOptions = {}): Promise<StartedTurn> {
  const item = typeof input === "string" ? userMessage(input) : input;
  if (!isUserMessage(item)) throw new InvalidSessionArgumentError("a turn starts with a user message");
  return ctx.write(async (tx) => {
    const { branch, head } = await branchForWrite(ctx, tx, { branchId: options.branchId, create: options.branchId === undefined });
    if (head?.status === "in_progress") {
      const lastBeat = Date.parse(head.heartbeatAt ?? head.createdAt);
      const stale = options.staleAfterMs !== undefined && Date.now() - lastBeat > options.staleAfterMs;
      if (!stale) throw new TurnInProgressError(head.id);
      await markInterrupted(tx, { id: head.id });
    }
    const id = newId();
    const depth = (head?.depth ?? 0) + 1;
    await insertTurnWithItems(
      tx,
      {
        id,
        conversationId: ctx.id,
        parentId: head?.id ?? null,
        depth,
        status: "in_progress",
        model: options.model ?? null,
        instructions: options.settings?.instructions == null ? null : ctx.codec.sealText(options.settings.instructions),
        temperature: options.settings?.temperature ?? null,
        maxOutputTokens: options.settings?.maxOutputTokens ?? null,
        runnerId: options.runnerId ?? null,
      },
      [ctx.codec.encode(item)],
    );
    await moveBranchHead(tx, { id: branch.id, headTurnId: id, baseTurnId: branch.baseTurnId });
    await touchConversation(tx, { id: ctx.id, activeBranchId: branch.id });
    return { turnId: id, turnNumber: depth, branchId: branch.id };
  });
}

/** The settings a turn of this conversation (or one it reads through a fork's original) was recorded with; null when unknown. */
export async function getTurnSettings(ctx: SessionContext, turnId: string): Promise<TurnSettings | null> {
  const sql = await ctx.store();
  await ctx.assertOwner(sql);
  const row = await turnSettingsRow(sql, { id: turnId, conversationId: ctx.id, userId: ctx.userId });
  if (!row) return null;
  return { ...row, instructions: row.instructions === null ? null : ctx.codec.openText(row.instructions) };
}

/** Appends items to a turn of this conversation (e.g. a stopped reply's partial text); a compaction item among them becomes the turn's replay boundary. */
export async function appendToTurn(ctx: SessionContext, turnId: string, items: AgentInputItem[]): Promise<void> {
  if (items.length === 0) return;
  await ctx.write(async (tx) => {
    await ctx.assertOwner(tx);
    const turn = await findTurn(tx, { id: turnId, conversationId: ctx.id });
    if (!turn) throw new TurnNotFoundError(turnId);
    const start = await appendItemRows(tx, { turnId, items: items.map((item) => ctx.codec.encode(item)) });
    const compaction = items.findLastIndex((item) => (item as { type?: unknown }).type === "compaction");
    if (compaction >= 0) await setCompactionAt(tx, { turnId, position: start + compaction });
  });
}

/** Ends a running turn with a final status; a turn that already ended is left as it is. */
export async function finishTurn(ctx: SessionContext, turnId: string, status: Exclude<TurnStatus, "in_progress">, error?: { code: string; message: string }): Promise<boolean> {
  return ctx.write(async (tx) => {
    await ctx.assertOwner(tx);
    const finished = await finishTurnRow(tx, { id: turnId, conversationId: ctx.id, status, errorCode: error?.code ?? null, errorMessage: error?.message ?? null });
    if (finished) await touchConversation(tx, { id: ctx.id });
    return finished;
  });
}

/** Asks the runner of a turn to stop; any instance can ask, the runner polls. */
export async function requestStop(ctx: SessionContext, turnId: string): Promise<void> {
  const sql = await ctx.store();
  await ctx.assertOwner(sql);
  const turn = await findTurn(sql, { id: turnId, conversationId: ctx.id });
  if (!turn) throw new TurnNotFoundError(turnId);
  if (turn.status !== "in_progress") throw new TurnNotRunningError(turnId, turn.status);
  await ctx.writeOne((sql) => requestTurnStop(sql, { id: turnId }));
}

/** Whether a stop was requested for a running turn; also refreshes its heartbeat. */
export async function heartbeat(ctx: SessionContext, turnId: string): Promise<{ stopRequested: boolean }> {
  await ctx.assertOwner(await ctx.store());
  const beat = await ctx.writeOne((sql) => beatTurn(sql, { id: turnId, conversationId: ctx.id }));
  if (!beat) throw new TurnNotFoundError(turnId);
  return beat;
}

/** What a `TurnBoundSession` needs of its owner. */
export interface TurnOwner extends Session {
  readonly context: SessionContext;
}

/**
 * The `Session` view of one running turn, for `run(agent, userText, { session })`: it serves the history before the
 * turn and stores the run's new items into the turn, skipping the user message `beginTurn` already stored.
 */
export class TurnBoundSession implements Session {
  #skippedUserMessage = false;
  #closed = false;

  constructor(
    readonly owner: TurnOwner,
    readonly turnId: string,
  ) {}

  getSessionId(): Promise<string> {
    return this.owner.getSessionId();
  }

  getItems(limit?: number): Promise<AgentInputItem[]> {
    return historyBefore(this.owner.context, this.turnId, limit);
  }

  /** After close, late writes from an aborted run are ignored (the runner stored what it kept). */
  close(): void {
    this.#closed = true;
  }

  async addItems(items: AgentInputItem[]): Promise<void> {
    if (this.#closed) return;
    let rest = items;
    if (!this.#skippedUserMessage && rest[0] && isUserMessage(rest[0])) {
      rest = rest.slice(1);
      this.#skippedUserMessage = true;
    }
    await appendToTurn(this.owner.context, this.turnId, rest);
  }

  /** The compaction item and what it retains join the turn; the next turn replays from it. */
  async replaceHistoryWithCompaction(items: AgentInputItem[]): Promise<void> {
    if (this.#closed) return;
    this.#skippedUserMessage = true;
    await appendToTurn(this.owner.context, this.turnId, items);
  }

  popItem(): Promise<AgentInputItem | undefined> {
    return this.owner.popItem();
  }

  /**
   * Refused: clearing would empty the branch under a running turn (the SDK's compaction wrapper clears, then re-adds);
   * compaction reaches a running turn through `replaceHistoryWithCompaction` instead.
   */
  async clearSession(): Promise<void> {
    throw new InvalidSessionArgumentError("a turn-bound session cannot be cleared; compact with replaceHistoryWithCompaction");
  }
}
