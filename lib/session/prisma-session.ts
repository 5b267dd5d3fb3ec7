import type { AgentInputItem, Session } from "@openai/agents";
import { configuredCipher, type ContentCipher } from "@/lib/crypto/content-cipher";
import type { Db, Prisma } from "@/lib/db";
import { costMicros, priceFor } from "@/lib/pricing/prices";
import {
  BranchIsCurrentError,
  BranchNameTakenError,
  BranchNotFoundError,
  CannotDeleteMainError,
  ConversationNotFoundError,
  InvalidSessionArgumentError,
  TurnInProgressError,
  TurnNotFoundError,
  TurnNotRunningError,
} from "./errors";
import { retryOnBusy } from "./busy-retry";
import { newId } from "./ids";
import { isToolCall, isToolOutput, isUserMessage, itemMeta, itemText, userMessage } from "./item-meta";
import { KeyedMutex } from "./keyed-mutex";
import {
  branchItems,
  conversationUsage,
  pathItems,
  pathSiblings,
  pathToolCalls,
  pathTurns,
  pathUsage,
  pathUsageRows,
  turnAtDepth,
  type DbLike,
  type PathItem,
  type PathTurn,
  type UsageSums,
} from "./tree-queries";
import type { BranchSummary, BranchUsage, ConversationTurn, SessionUsage, StartedTurn, ToolUsage, TurnStatus, TurnUsageRow } from "./types";
import { isEmptyUsage, toUsageCounts, type UsageSource } from "./usage-counts";

export interface PrismaSessionOptions {
  /** The conversation id; a new one is generated when absent. The conversation is created on first write. */
  sessionId?: string;
  /** Prisma client; defaults to the app's client for DATABASE_URL. */
  db?: Db;
  /** Owner of the conversation; a conversation of another owner is treated as absent. */
  userId?: string;
  /** Caps what `getItems()` returns when no explicit limit is given. */
  historyLimit?: number;
  /** Encrypts message content at rest; defaults to the one configured by FORKLINE_ENCRYPTION_KEY (or none). */
  cipher?: ContentCipher;
}

export interface StoreUsageOptions {
  model?: string | null;
  /** "turn" (default) or another purpose such as "title"; all count toward the conversation. */
  purpose?: string;
  /** True when the counts were made with a tokenizer because the server sent none. */
  estimated?: boolean;
  /** The turn to charge; defaults to the head of the active branch. */
  turnId?: string;
}

export const MAIN_BRANCH = "main";
const PREVIEW_LENGTH = 100;
const writeLocks = new KeyedMutex();

let defaultDb: (() => Db) | undefined;

/** Lets the app supply its client lazily, so library users who pass `db` never load the app's config. */
export function setDefaultDbProvider(provider: () => Db): void {
  defaultDb = provider;
}

function toSessionUsage(sums: UsageSums): SessionUsage | null {
  if (sums.rows === 0) return null;
  return {
    requests: sums.requests,
    inputTokens: sums.inputTokens,
    cachedInputTokens: sums.cachedInputTokens,
    outputTokens: sums.outputTokens,
    reasoningTokens: sums.reasoningTokens,
    totalTokens: sums.inputTokens + sums.outputTokens,
    costMicros: sums.unpricedRows > 0 ? null : sums.costMicros,
    estimated: sums.estimatedRows > 0,
    turns: sums.turns,
  };
}

/** Drops tool outputs whose call is not in the list, so a limited history never starts mid tool pair. */
function withoutOrphanedOutputs(items: PathItem[]): PathItem[] {
  const calls = new Set(items.filter((item) => isToolCall(item) && item.callId).map((item) => item.callId));
  return items.filter((item) => !isToolOutput(item) || !item.callId || calls.has(item.callId));
}

/** The fields of a turn that a copy-on-write copy keeps. */
interface CopyableTurn {
  id: string;
  parentId: string | null;
  depth: number;
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
  userText: string | null;
  model: string | null;
  completedAt: Date | null;
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === "P2002";
}

/**
 * A conversation stored as a tree of turns, implementing the Agents SDK `Session` on the active branch,
 * plus branches, per-turn usage and the turn lifecycle the HTTP layer needs.
 */
export class PrismaSession implements Session {
  readonly #id: string;
  readonly #db: Db | undefined;
  readonly #userId: string | undefined;
  readonly #historyLimit: number | undefined;
  readonly #cipherOption: ContentCipher | undefined;

  constructor(options: PrismaSessionOptions = {}) {
    if (options.historyLimit !== undefined && (!Number.isInteger(options.historyLimit) || options.historyLimit < 0)) {
      throw new InvalidSessionArgumentError("historyLimit must be a non-negative integer");
    }
    this.#id = options.sessionId ?? newId();
    this.#db = options.db;
    this.#userId = options.userId;
    this.#historyLimit = options.historyLimit;
    this.#cipherOption = options.cipher;
  }

  get #cipher(): ContentCipher {
    return this.#cipherOption ?? configuredCipher();
  }

  /** The stored form of message content (encrypted under this conversation's key when encryption is on). */
  #seal = (plain: string): string => this.#cipher.encrypt(plain, this.#id);

  /** Plaintext of stored message content; throws ContentDecryptionError rather than return garbage. */
  #open(stored: string): string {
    return this.#cipher.decrypt(stored);
  }

  get db(): Db {
    if (this.#db) return this.#db;
    if (!defaultDb) throw new InvalidSessionArgumentError("PrismaSession needs a `db` (no default client is configured)");
    return defaultDb();
  }

  /** One write transaction, run again (it rolled back) while the database is busy; see `retryOnBusy`. */
  #transaction<T>(write: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return retryOnBusy(() => this.db.$transaction(write));
  }

  /** The conversation id. */
  async getSessionId(): Promise<string> {
    return this.#id;
  }

  // ---------------------------------------------------------------- conversation and branch state

  async #conversation(db: DbLike = this.db) {
    const conversation = await db.conversation.findUnique({
      where: { id: this.#id },
      select: { id: true, userId: true, activeBranchId: true, historyLimit: true },
    });
    if (conversation && this.#userId !== undefined && conversation.userId !== this.#userId) return null;
    return conversation;
  }

  async #requireConversation(db: DbLike = this.db) {
    const conversation = await this.#conversation(db);
    if (!conversation) throw new ConversationNotFoundError(this.#id);
    return conversation;
  }

  /** Creates the conversation with an empty `main` branch if it does not exist yet. */
  async ensureConversation(init: { title?: string | null } = {}): Promise<void> {
    if (await this.#conversation()) return;
    const branchId = newId();
    try {
      await this.#transaction(async (tx) => {
        await tx.conversation.create({
          data: { id: this.#id, userId: this.#userId ?? "local", title: init.title ?? null, activeBranchId: branchId },
        });
        await tx.branch.create({ data: { id: branchId, conversationId: this.#id, name: MAIN_BRANCH } });
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    await this.#requireConversation();
  }

  /** Whether the conversation has a title. */
  async hasTitle(): Promise<boolean> {
    const conversation = await this.db.conversation.findUnique({ where: { id: this.#id }, select: { title: true } });
    return Boolean(conversation?.title);
  }

  /** Sets the title unless one was set meanwhile (e.g. renamed by the user); true when it was set. */
  async setTitleIfUnset(title: string): Promise<boolean> {
    const result = await retryOnBusy(() => this.db.conversation.updateMany({ where: { id: this.#id, title: null }, data: { title } }));
    return result.count > 0;
  }

  async #activeBranch(db: DbLike = this.db) {
    const conversation = await this.#requireConversation(db);
    const branch = conversation.activeBranchId
      ? await db.branch.findFirst({ where: { id: conversation.activeBranchId, conversationId: this.#id } })
      : null;
    if (branch) return { conversation, branch };
    const main = await db.branch.findFirst({ where: { conversationId: this.#id, name: MAIN_BRANCH } });
    if (!main) throw new BranchNotFoundError(MAIN_BRANCH);
    return { conversation, branch: main };
  }

  async #branch(branchId: string | undefined, db: DbLike = this.db) {
    if (branchId === undefined) return (await this.#activeBranch(db)).branch;
    await this.#requireConversation(db);
    const branch = await db.branch.findFirst({ where: { id: branchId, conversationId: this.#id } });
    if (!branch) throw new BranchNotFoundError(branchId);
    return branch;
  }

  /**
   * First statement of every write transaction on this conversation (the mutex only orders writers in this process):
   * a no-op write on the conversation row, so SQLite takes the write lock (waiting up to the busy timeout) before any
   * read and PostgreSQL locks the row. Without it a writer in another process failed with SQLITE_BUSY, or on
   * PostgreSQL appended to a stale branch head so the branch lost the other writer's turn.
   */
  async #lockConversation(tx: DbLike): Promise<void> {
    await tx.$executeRaw`UPDATE "Conversation" SET "userId" = "userId" WHERE "id" = ${this.#id}`;
  }

  /** The active branch id, read from the database so every instance agrees. */
  async getCurrentBranchId(): Promise<string> {
    await this.ensureConversation();
    return (await this.#activeBranch()).branch.id;
  }

  /** Makes `branchId` the active branch for every instance. */
  async switchToBranch(branchId: string): Promise<void> {
    const branch = await this.#branch(branchId);
    await retryOnBusy(() => this.db.conversation.update({ where: { id: this.#id }, data: { activeBranchId: branch.id } }));
  }

  // ---------------------------------------------------------------- Session interface

  /** Items of the active branch, the latest `limit` in order; never a tool output whose call was cut off. */
  async getItems(limit?: number): Promise<AgentInputItem[]> {
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new InvalidSessionArgumentError("limit must be a non-negative integer");
    }
    const conversation = await this.#conversation();
    if (!conversation) return [];
    const effective = limit ?? this.#historyLimit ?? conversation.historyLimit ?? undefined;
    if (conversation.activeBranchId) {
      // Two statements on the hot path: the conversation row, then the walk anchored on its active branch.
      const items = await branchItems(this.db, conversation.activeBranchId, effective);
      if (items.length > 0 || effective === 0) return this.#openItems(items);
    }
    const { branch } = await this.#activeBranch();
    return this.#itemsUpTo(branch.headTurnId, effective);
  }

  #openItems(items: PathItem[]): AgentInputItem[] {
    return withoutOrphanedOutputs(items).map((item) => JSON.parse(this.#open(item.content)) as AgentInputItem);
  }

  async #itemsUpTo(headTurnId: string | null, limit: number | undefined): Promise<AgentInputItem[]> {
    return this.#openItems(await pathItems(this.db, headTurnId, limit));
  }

  /** Appends to the active branch: each user message starts a turn on the branch head, other items join it. */
  async addItems(items: AgentInputItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.ensureConversation();
    await writeLocks.run(this.#id, () =>
      this.#transaction(async (tx) => {
        await this.#lockConversation(tx);
        const { branch } = await this.#activeBranch(tx);
        let headId = branch.headTurnId;
        let head = headId ? await tx.turn.findUnique({ where: { id: headId } }) : null;
        if (head?.status === "in_progress" && items.some(isUserMessage)) throw new TurnInProgressError(head.id);
        let baseTurnId = branch.baseTurnId;
        let ownHead = false;
        let pending: AgentInputItem[] = [];
        const flush = async () => {
          if (pending.length === 0) return;
          if (!headId || !head) {
            head = await this.#createTurn(tx, { parent: head, status: "completed", userText: null });
            headId = head.id;
          } else if (!ownHead && (await this.#isShared(tx, head, branch.id))) {
            // Copy-on-write: appending to a turn another branch (or conversation) reaches would change that branch.
            if (baseTurnId === head.id) baseTurnId = head.parentId;
            head = await this.#copyTurn(tx, head);
            headId = head.id;
          }
          ownHead = true;
          await appendItems(tx, headId, pending, this.#seal);
          pending = [];
        };
        for (const item of items) {
          if (isUserMessage(item)) {
            await flush();
            head = await this.#createTurn(tx, { parent: head, status: "completed", userText: itemText(item) });
            headId = head.id;
            ownHead = true;
          }
          pending.push(item);
        }
        await flush();
        await tx.branch.update({ where: { id: branch.id }, data: { headTurnId: headId, baseTurnId } });
        await tx.conversation.update({ where: { id: this.#id }, data: { updatedAt: new Date() } });
      }),
    );
  }

  async #createTurn(
    tx: DbLike,
    init: { parent: { id: string; depth: number } | null; status: TurnStatus; userText: string | null; model?: string | null; runnerId?: string | null },
  ) {
    return tx.turn.create({
      data: {
        id: newId(),
        conversationId: this.#id,
        parentId: init.parent?.id ?? null,
        depth: (init.parent?.depth ?? 0) + 1,
        status: init.status,
        // PostgreSQL text cannot hold NUL; this column is only a preview/search copy (the item's JSON keeps it, escaped).
        userText: init.userText === null ? null : this.#seal(init.userText.replaceAll("\u0000", "")),
        model: init.model ?? null,
        runnerId: init.runnerId ?? null,
        heartbeatAt: init.status === "in_progress" ? new Date() : null,
        completedAt: init.status === "in_progress" ? null : new Date(),
      },
    });
  }

  /** Removes and returns the newest item of the active branch; other branches keep what they hold. */
  async popItem(): Promise<AgentInputItem | undefined> {
    if (!(await this.#conversation())) return undefined;
    return writeLocks.run(this.#id, () =>
      this.#transaction(async (tx) => {
        await this.#lockConversation(tx);
        const { branch } = await this.#activeBranch(tx);
        if (!branch.headTurnId) return undefined;
        const head = await tx.turn.findUnique({ where: { id: branch.headTurnId } });
        if (!head) return undefined;
        const items = await tx.item.findMany({ where: { turnId: head.id }, orderBy: { position: "asc" } });
        const last = items.at(-1);
        const shared = await this.#isShared(tx, head, branch.id);
        if (!last) {
          // An empty head turn (should not happen) is dropped and the pop continues on the parent.
          if (!shared) await tx.turn.delete({ where: { id: head.id } });
          const baseTurnId = branch.baseTurnId === head.id ? head.parentId : branch.baseTurnId;
          await tx.branch.update({ where: { id: branch.id }, data: { headTurnId: head.parentId, baseTurnId } });
          return undefined;
        }
        const popped = JSON.parse(this.#open(last.content)) as AgentInputItem;
        // When the head the branch leaves is its base, the base moves up with it, so inherited usage stays on the path.
        const baseTurnId = branch.baseTurnId === head.id ? head.parentId : branch.baseTurnId;
        if (items.length === 1) {
          await tx.branch.update({ where: { id: branch.id }, data: { headTurnId: head.parentId, baseTurnId } });
          if (!shared) await tx.turn.delete({ where: { id: head.id } });
        } else if (!shared) {
          await tx.item.delete({ where: { id: last.id } });
          await tx.turn.update({ where: { id: head.id }, data: { itemCount: { decrement: 1 } } });
        } else {
          // Copy-on-write: the branch gets its own copy of the shared turn without the popped item.
          const copy = await this.#copyTurn(tx, head, items.length - 1);
          await tx.branch.update({ where: { id: branch.id }, data: { headTurnId: copy.id, baseTurnId } });
        }
        return popped;
      }),
    );
  }

  /** A copy of `turn` owned by this conversation, with its first `keep` items (all by default) and no usage. */
  async #copyTurn(tx: DbLike, turn: CopyableTurn, keep?: number) {
    const items = await tx.item.findMany({ where: { turnId: turn.id }, orderBy: { position: "asc" } });
    const kept = keep === undefined ? items : items.slice(0, keep);
    const copy = await tx.turn.create({
      data: {
        id: newId(),
        conversationId: this.#id,
        parentId: turn.parentId,
        depth: turn.depth,
        status: turn.status,
        errorCode: turn.errorCode,
        errorMessage: turn.errorMessage,
        userText: turn.userText,
        model: turn.model,
        itemCount: kept.length,
        completedAt: turn.completedAt,
      },
    });
    if (kept.length > 0) {
      await tx.item.createMany({
        data: kept.map((item) => ({
          turnId: copy.id,
          position: item.position,
          role: item.role,
          type: item.type,
          toolName: item.toolName,
          callId: item.callId,
          content: item.content,
        })),
      });
    }
    return copy;
  }

  /** A turn is shared when another branch (of any conversation) reaches it. */
  async #isShared(tx: DbLike, turn: { id: string; conversationId: string }, exceptBranchId: string): Promise<boolean> {
    if (turn.conversationId !== this.#id) return true;
    const [otherHead, child] = await Promise.all([
      tx.branch.findFirst({ where: { headTurnId: turn.id, id: { not: exceptBranchId } }, select: { id: true } }),
      tx.turn.findFirst({ where: { parentId: turn.id }, select: { id: true } }),
    ]);
    return Boolean(otherHead || child);
  }

  /** Deletes every turn, item, usage row and branch of the conversation and starts again with an empty `main`. */
  async clearSession(): Promise<void> {
    if (!(await this.#conversation())) return;
    await writeLocks.run(this.#id, () =>
      this.#transaction(async (tx) => {
        await this.#lockConversation(tx);
        await this.#releaseExternallyReachedTurns(tx);
        await tx.branch.deleteMany({ where: { conversationId: this.#id } });
        await tx.turn.deleteMany({ where: { conversationId: this.#id } });
        const mainId = newId();
        await tx.branch.create({ data: { id: mainId, conversationId: this.#id, name: MAIN_BRANCH } });
        await tx.conversation.update({ where: { id: this.#id }, data: { activeBranchId: mainId, updatedAt: new Date() } });
      }),
    );
  }

  /**
   * Turns of this conversation that a forked conversation reads through are handed to the fork that reaches them,
   * so deleting or clearing this conversation never changes what another conversation holds.
   */
  async #releaseExternallyReachedTurns(tx: DbLike): Promise<void> {
    // Found from the tree, not from `forkedFromConversationId`: after an earlier hand-over a fork may read through a
    // conversation it was not forked from (a fork of a fork, or two forks of one deleted original).
    const entries = await tx.$queryRaw<{ conversationId: string; turnId: string }[]>`
      SELECT c."conversationId" AS "conversationId", c."parentId" AS "turnId"
      FROM "Turn" c JOIN "Turn" p ON p."id" = c."parentId"
      WHERE p."conversationId" = ${this.#id} AND c."conversationId" <> ${this.#id}
      UNION
      SELECT b."conversationId" AS "conversationId", b."headTurnId" AS "turnId"
      FROM "Branch" b JOIN "Turn" t ON t."id" = b."headTurnId"
      WHERE t."conversationId" = ${this.#id} AND b."conversationId" <> ${this.#id}
      ORDER BY 1, 2`;
    for (const entry of entries) {
      const path = await pathTurns(tx, String(entry.turnId));
      const ours = path.filter((turn) => turn.conversationId === this.#id).map((turn) => turn.id);
      if (ours.length > 0) await tx.turn.updateMany({ where: { id: { in: ours } }, data: { conversationId: String(entry.conversationId) } });
    }
    await tx.conversation.updateMany({ where: { forkedFromConversationId: this.#id }, data: { forkedFromConversationId: null } });
  }

  /** Deletes the conversation and everything only it reaches. */
  async deleteConversation(): Promise<void> {
    if (!(await this.#conversation())) throw new ConversationNotFoundError(this.#id);
    await writeLocks.run(this.#id, () =>
      this.#transaction(async (tx) => {
        await this.#lockConversation(tx);
        await this.#releaseExternallyReachedTurns(tx);
        await tx.branch.deleteMany({ where: { conversationId: this.#id } });
        await tx.turn.deleteMany({ where: { conversationId: this.#id } });
        await tx.conversation.delete({ where: { id: this.#id } });
      }),
    );
  }

  // ---------------------------------------------------------------- usage

  /** Adds a run's usage to a turn (the active branch's head by default), priced for the model; never throws. */
  async storeRunUsage(source: UsageSource, options: StoreUsageOptions = {}): Promise<void> {
    try {
      const counts = toUsageCounts(source);
      if (isEmptyUsage(counts)) return;
      const turnId = options.turnId ?? (await this.#activeBranch()).branch.headTurnId;
      if (!turnId) return;
      const turn = await this.db.turn.findUnique({ where: { id: turnId }, select: { model: true } });
      const model = options.model ?? turn?.model ?? null;
      const price = priceFor(model);
      const data = {
        turnId,
        purpose: options.purpose ?? "turn",
        model,
        ...counts,
        estimated: options.estimated ?? false,
        costMicros: price ? costMicros(counts, price) : null,
        inputPricePerMillion: price?.inputPerMillion ?? null,
        cachedPricePerMillion: price?.cachedPerMillion ?? null,
        outputPricePerMillion: price?.outputPerMillion ?? null,
      };
      await retryOnBusy(() => this.db.turnUsage.create({ data }));
    } catch (error) {
      console.error("storeRunUsage failed", error);
    }
  }

  /** Totals for the whole conversation (each turn once), or along one branch's path; null when nothing was recorded. */
  async getSessionUsage(branchId?: string): Promise<SessionUsage | null> {
    if (!(await this.#conversation())) return null;
    if (branchId === undefined) return toSessionUsage(await conversationUsage(this.db, this.#id));
    const branch = await this.#branch(branchId);
    return toSessionUsage(await pathUsage(this.db, branch.headTurnId));
  }

  /** A branch's cost split into what it inherited up to its fork point and what was spent on it since. */
  async getBranchUsage(branchId?: string): Promise<BranchUsage> {
    const branch = await this.#branch(branchId);
    const [total, inherited] = await Promise.all([pathUsage(this.db, branch.headTurnId), pathUsage(this.db, branch.baseTurnId)]);
    const own: UsageSums = {
      rows: total.rows - inherited.rows,
      turns: total.turns - inherited.turns,
      requests: total.requests - inherited.requests,
      inputTokens: total.inputTokens - inherited.inputTokens,
      cachedInputTokens: total.cachedInputTokens - inherited.cachedInputTokens,
      outputTokens: total.outputTokens - inherited.outputTokens,
      reasoningTokens: total.reasoningTokens - inherited.reasoningTokens,
      costMicros: total.costMicros - inherited.costMicros,
      unpricedRows: total.unpricedRows - inherited.unpricedRows,
      estimatedRows: total.estimatedRows - inherited.estimatedRows,
    };
    return { branchId: branch.id, inherited: toSessionUsage(inherited), own: toSessionUsage(own), total: toSessionUsage(total) };
  }

  /** The summed usage of one turn of this conversation (every model call and purpose); null when none. */
  async getUsageOfTurn(turnId: string): Promise<SessionUsage | null> {
    const rows = await this.db.turnUsage.findMany({ where: { turnId, turn: { conversationId: this.#id } } });
    if (rows.length === 0) return null;
    const sum = (key: "requests" | "inputTokens" | "cachedInputTokens" | "outputTokens" | "reasoningTokens") =>
      rows.reduce((total, row) => total + row[key], 0);
    return {
      requests: sum("requests"),
      inputTokens: sum("inputTokens"),
      cachedInputTokens: sum("cachedInputTokens"),
      outputTokens: sum("outputTokens"),
      reasoningTokens: sum("reasoningTokens"),
      totalTokens: sum("inputTokens") + sum("outputTokens"),
      costMicros: rows.some((row) => row.costMicros === null) ? null : rows.reduce((total, row) => total + (row.costMicros ?? 0), 0),
      estimated: rows.some((row) => row.estimated),
      turns: 1,
    };
  }

  /** Per-turn usage along a branch, ordered by turn; one turn only when `turnNumber` is given. */
  async getTurnUsage(turnNumber?: number, branchId?: string): Promise<TurnUsageRow[]> {
    if (!(await this.#conversation())) return [];
    const branch = await this.#branch(branchId);
    const path = await pathTurns(this.db, branch.headTurnId);
    const turns = turnNumber === undefined ? path : path.filter((turn) => turn.depth === turnNumber);
    if (turns.length === 0) return [];
    const rowsByTurn = new Map<string, Awaited<ReturnType<typeof pathUsageRows>>>();
    for (const row of await pathUsageRows(this.db, branch.headTurnId)) rowsByTurn.set(row.turnId, [...(rowsByTurn.get(row.turnId) ?? []), row]);
    return turns.flatMap((turn) => {
      const own = rowsByTurn.get(turn.id) ?? [];
      if (own.length === 0) return [];
      const models = [...new Set(own.map((row) => row.model).filter((model): model is string => Boolean(model)))];
      const sum = (key: "requests" | "inputTokens" | "cachedInputTokens" | "outputTokens" | "reasoningTokens") =>
        own.reduce((total, row) => total + row[key], 0);
      const unpriced = own.some((row) => row.costMicros === null);
      return [
        {
          turn: turn.depth,
          turnId: turn.id,
          models,
          requests: sum("requests"),
          inputTokens: sum("inputTokens"),
          cachedInputTokens: sum("cachedInputTokens"),
          outputTokens: sum("outputTokens"),
          reasoningTokens: sum("reasoningTokens"),
          totalTokens: sum("inputTokens") + sum("outputTokens"),
          costMicros: unpriced ? null : own.reduce((total, row) => total + (row.costMicros ?? 0), 0),
          estimated: own.some((row) => row.estimated),
        },
      ];
    });
  }

  // ---------------------------------------------------------------- branches

  /**
   * Forks the active branch at turn `n` and switches to the new branch. Exclusive (default) holds turns 1..n-1,
   * so the next message replaces turn n; inclusive holds 1..n. Writes one row whatever the conversation's length.
   */
  async createBranchFromTurn(turnNumber: number, options: { name?: string; inclusive?: boolean } = {}): Promise<string> {
    if (!Number.isInteger(turnNumber) || turnNumber < 1) throw new InvalidSessionArgumentError("turn number must be a positive integer");
    return writeLocks.run(this.#id, () =>
      this.#transaction(async (tx) => {
        await this.#lockConversation(tx);
        const { branch: source } = await this.#activeBranch(tx);
        const forkTurnId = await turnAtDepth(tx, source.headTurnId, turnNumber);
        if (!forkTurnId) throw new TurnNotFoundError(String(turnNumber));
        const forkTurn = await tx.turn.findUniqueOrThrow({ where: { id: forkTurnId }, select: { id: true, parentId: true } });
        const baseTurnId = options.inclusive ? forkTurn.id : forkTurn.parentId;
        const name = await this.#branchName(tx, options.name);
        const id = newId();
        await tx.branch.create({
          data: { id, conversationId: this.#id, name, headTurnId: baseTurnId, baseTurnId, forkedFromTurnId: forkTurn.id },
        });
        await tx.conversation.update({ where: { id: this.#id }, data: { activeBranchId: id, updatedAt: new Date() } });
        return id;
      }),
    );
  }

  async #branchName(tx: DbLike, requested: string | undefined): Promise<string> {
    if (requested !== undefined) {
      const name = requested.trim();
      if (!name) throw new InvalidSessionArgumentError("branch name must not be empty");
      if (await tx.branch.findFirst({ where: { conversationId: this.#id, name }, select: { id: true } })) throw new BranchNameTakenError(name);
      return name;
    }
    const count = await tx.branch.count({ where: { conversationId: this.#id } });
    for (let n = count + 1; ; n += 1) {
      const name = `branch-${n}`;
      if (!(await tx.branch.findFirst({ where: { conversationId: this.#id, name }, select: { id: true } }))) return name;
    }
  }

  /** As `createBranchFromTurn`, from the earliest user turn on the active branch whose text contains `term`. */
  async createBranchFromContent(term: string, options: { name?: string; inclusive?: boolean } = {}): Promise<string> {
    const [match] = await this.findTurnsByContent(term);
    if (!match) throw new TurnNotFoundError(`containing "${term}"`);
    return this.createBranchFromTurn(match.turn, options);
  }

  /** Branches oldest first, with head turn number, item count along the path, and fork point. */
  async listBranches(): Promise<BranchSummary[]> {
    const { branch: active } = await this.#activeBranch();
    const branches = await this.db.branch.findMany({ where: { conversationId: this.#id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    const turnIds = [...new Set(branches.flatMap((branch) => [branch.headTurnId, branch.forkedFromTurnId]).filter((id): id is string => Boolean(id)))];
    const turns = await this.db.turn.findMany({ where: { id: { in: turnIds } }, select: { id: true, depth: true } });
    const depthOf = new Map(turns.map((turn) => [turn.id, turn.depth]));
    return Promise.all(
      branches.map(async (branch) => {
        const items = await this.#pathItemCount(branch.headTurnId);
        return {
          id: branch.id,
          name: branch.name,
          headTurnNumber: branch.headTurnId ? (depthOf.get(branch.headTurnId) ?? 0) : 0,
          itemCount: items,
          isCurrent: branch.id === active.id,
          forkedFromTurn: branch.forkedFromTurnId ? (depthOf.get(branch.forkedFromTurnId) ?? null) : null,
          createdAt: branch.createdAt,
        };
      }),
    );
  }

  async #pathItemCount(headTurnId: string | null): Promise<number> {
    const path = await pathTurns(this.db, headTurnId);
    return path.reduce((total, turn) => total + turn.itemCount, 0);
  }

  async renameBranch(branchId: string, name: string): Promise<void> {
    await writeLocks.run(this.#id, () =>
      this.#transaction(async (tx) => {
        await this.#lockConversation(tx);
        const branch = await this.#branch(branchId, tx);
        const trimmed = name.trim();
        if (!trimmed) throw new InvalidSessionArgumentError("branch name must not be empty");
        if (trimmed === branch.name) return;
        if (branch.name === MAIN_BRANCH) throw new InvalidSessionArgumentError("the main branch cannot be renamed");
        if (await tx.branch.findFirst({ where: { conversationId: this.#id, name: trimmed }, select: { id: true } })) {
          throw new BranchNameTakenError(trimmed);
        }
        await tx.branch.update({ where: { id: branch.id }, data: { name: trimmed } });
      }),
    );
  }

  /** Deletes a branch and the turns no surviving branch reaches; `main` never, the current one only with `force`. */
  async deleteBranch(branchId: string, options: { force?: boolean } = {}): Promise<void> {
    await writeLocks.run(this.#id, () =>
      this.#transaction(async (tx) => {
        await this.#lockConversation(tx);
        const { branch: active } = await this.#activeBranch(tx);
        const branch = await this.#branch(branchId, tx);
        if (branch.name === MAIN_BRANCH) throw new CannotDeleteMainError();
        if (branch.id === active.id && !options.force) throw new BranchIsCurrentError();
        await tx.branch.delete({ where: { id: branch.id } });
        if (branch.id === active.id) {
          const main = await tx.branch.findFirstOrThrow({ where: { conversationId: this.#id, name: MAIN_BRANCH } });
          await tx.conversation.update({ where: { id: this.#id }, data: { activeBranchId: main.id } });
        }
        await this.#collectUnreachable(tx, branch.headTurnId);
      }),
    );
  }

  /** Deletes the turns from `turnId` upwards that no branch reaches any more (every leaf is some branch's head). */
  async #collectUnreachable(tx: DbLike, turnId: string | null): Promise<void> {
    let current = turnId;
    while (current) {
      const turn = await tx.turn.findUnique({ where: { id: current }, select: { id: true, parentId: true, conversationId: true } });
      if (!turn || turn.conversationId !== this.#id) return;
      const [head, child] = await Promise.all([
        tx.branch.findFirst({ where: { headTurnId: turn.id }, select: { id: true } }),
        tx.turn.findFirst({ where: { parentId: turn.id }, select: { id: true } }),
      ]);
      if (head || child) return;
      await tx.turn.delete({ where: { id: turn.id } });
      current = turn.parentId;
    }
  }

  // ---------------------------------------------------------------- structured queries

  /** Turns along a branch with previews, status and sibling position (‹ index / count ›). */
  async getConversationTurns(branchId?: string): Promise<ConversationTurn[]> {
    if (!(await this.#conversation())) return [];
    const branch = await this.#branch(branchId);
    return this.#describeTurns(await pathTurns(this.db, branch.headTurnId));
  }

  async #describeTurns(path: PathTurn[]): Promise<ConversationTurn[]> {
    if (path.length === 0) return [];
    // Siblings are this conversation's alternatives: a forked conversation's turns never show up in the original.
    const siblings = await pathSiblings(this.db, path.at(-1)!.id, this.#id);
    const byParent = new Map<string | null, { id: string; parentId: string | null }[]>();
    for (const sibling of siblings) byParent.set(sibling.parentId, [...(byParent.get(sibling.parentId) ?? []), sibling]);
    return path.map((turn) => {
      const group = [...(byParent.get(turn.parentId) ?? [])];
      // A turn read through from the conversation this one was forked from counts as its own alternative.
      if (!group.some((sibling) => sibling.id === turn.id)) {
        group.push({ id: turn.id, parentId: turn.parentId });
        group.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      }
      const index = Math.max(0, group.findIndex((sibling) => sibling.id === turn.id));
      const fullContent = turn.userText === null ? "" : this.#open(turn.userText);
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
    });
  }

  /** For each turn, the most recently updated branch of this conversation whose path contains it. */
  async branchesReaching(turnIds: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const turnId of new Set(turnIds)) {
      const rows = await this.db.$queryRaw<{ id: string }[]>`
        WITH RECURSIVE down("id") AS (
          SELECT "id" FROM "Turn" WHERE "id" = ${turnId}
          UNION ALL
          SELECT t."id" FROM "Turn" t JOIN down ON t."parentId" = down."id"
        )
        SELECT b."id" FROM "Branch" b JOIN down ON b."headTurnId" = down."id"
        WHERE b."conversationId" = ${this.#id}
        ORDER BY b."updatedAt" DESC, b."id" DESC
        LIMIT 1`;
      if (rows[0]) found.set(turnId, String(rows[0].id));
    }
    return found;
  }

  /** Turns along a branch whose user message contains `term` (case-insensitive). */
  async findTurnsByContent(term: string, branchId?: string): Promise<ConversationTurn[]> {
    const needle = term.toLocaleLowerCase();
    const turns = await this.getConversationTurns(branchId);
    return turns.filter((turn) => turn.fullContent.toLocaleLowerCase().includes(needle));
  }

  /** Tool calls along a branch, counted per tool and turn. */
  async getToolUsage(branchId?: string): Promise<ToolUsage[]> {
    if (!(await this.#conversation())) return [];
    const branch = await this.#branch(branchId);
    const path = await pathTurns(this.db, branch.headTurnId);
    if (path.length === 0) return [];
    const depthOf = new Map(path.map((turn) => [turn.id, turn.depth]));
    const counts = new Map<string, ToolUsage>();
    for (const call of await pathToolCalls(this.db, branch.headTurnId)) {
      const key = `${call.turnId}\u0000${call.toolName}`;
      const entry = counts.get(key) ?? { toolName: call.toolName, count: 0, turn: depthOf.get(call.turnId) ?? 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
    return [...counts.values()].sort((a, b) => a.turn - b.turn || a.toolName.localeCompare(b.toolName));
  }

  /** The items of one turn of this conversation, in order. */
  async getTurnItems(turnId: string): Promise<AgentInputItem[]> {
    const items = await this.db.item.findMany({ where: { turnId, turn: { conversationId: this.#id } }, orderBy: { position: "asc" } });
    return items.map((item) => JSON.parse(this.#open(item.content)) as AgentInputItem);
  }

  /** Items of the path ending at a turn, for projections (every item, in order). */
  async getPathItems(branchId?: string): Promise<{ turnId: string; item: AgentInputItem }[]> {
    const branch = await this.#branch(branchId);
    const items = await pathItems(this.db, branch.headTurnId);
    return items.map((item) => ({ turnId: item.turnId, item: JSON.parse(this.#open(item.content)) as AgentInputItem }));
  }

  /**
   * A new conversation whose first turns are read through this one (no copy), recording its lineage.
   * Inclusive (default) ends with turn n; exclusive ends before it. Returns the new conversation id.
   */
  async forkToNewConversation(turnNumber: number, options: { inclusive?: boolean; title?: string; branchId?: string } = {}): Promise<string> {
    const branch = await this.#branch(options.branchId);
    const forkTurnId = await turnAtDepth(this.db, branch.headTurnId, turnNumber);
    if (!forkTurnId) throw new TurnNotFoundError(String(turnNumber));
    const forkTurn = await this.db.turn.findUniqueOrThrow({ where: { id: forkTurnId } });
    const baseTurnId = options.inclusive === false ? forkTurn.parentId : forkTurn.id;
    const source = await this.db.conversation.findUniqueOrThrow({ where: { id: this.#id }, select: { title: true, userId: true } });
    const id = newId();
    const mainId = newId();
    await this.#transaction(async (tx) => {
      await tx.conversation.create({
        data: {
          id,
          userId: source.userId,
          title: options.title ?? (source.title ? `${source.title} (fork)` : null),
          activeBranchId: mainId,
          forkedFromConversationId: this.#id,
          forkedFromTurnId: forkTurn.id,
        },
      });
      await tx.branch.create({
        data: { id: mainId, conversationId: id, name: MAIN_BRANCH, headTurnId: baseTurnId, baseTurnId, forkedFromTurnId: forkTurn.id },
      });
    });
    return id;
  }

  // ---------------------------------------------------------------- turn lifecycle (used by the HTTP runner)

  /**
   * Stores the user's message as a new `in_progress` turn on a branch (the active one by default, which it makes
   * active) before any model is called. Refuses with `turn_in_progress` while the branch head is still running.
   */
  async beginTurn(
    input: string | AgentInputItem,
    options: { branchId?: string; model?: string | null; runnerId?: string; staleAfterMs?: number } = {},
  ): Promise<StartedTurn> {
    const item = typeof input === "string" ? userMessage(input) : input;
    if (!isUserMessage(item)) throw new InvalidSessionArgumentError("a turn starts with a user message");
    await this.ensureConversation();
    return writeLocks.run(this.#id, () =>
      this.#transaction(async (tx) => {
        await this.#lockConversation(tx);
        const branch = await this.#branch(options.branchId, tx);
        // Touching the branch row first serialises concurrent starts on it across instances.
        await tx.branch.update({ where: { id: branch.id }, data: { updatedAt: new Date() } });
        const fresh = await tx.branch.findUniqueOrThrow({ where: { id: branch.id } });
        const head = fresh.headTurnId ? await tx.turn.findUnique({ where: { id: fresh.headTurnId } }) : null;
        if (head?.status === "in_progress") {
          const lastBeat = head.heartbeatAt?.getTime() ?? head.createdAt.getTime();
          const stale = options.staleAfterMs !== undefined && Date.now() - lastBeat > options.staleAfterMs;
          if (!stale) throw new TurnInProgressError(head.id);
          await tx.turn.update({ where: { id: head.id }, data: { status: "interrupted", completedAt: new Date(), heartbeatAt: null } });
        }
        const turn = await this.#createTurn(tx, {
          parent: head,
          status: "in_progress",
          userText: itemText(item),
          model: options.model ?? null,
          runnerId: options.runnerId ?? null,
        });
        await appendItems(tx, turn.id, [item], this.#seal);
        await tx.branch.update({ where: { id: branch.id }, data: { headTurnId: turn.id } });
        await tx.conversation.update({ where: { id: this.#id }, data: { activeBranchId: branch.id, updatedAt: new Date() } });
        return { turnId: turn.id, turnNumber: turn.depth, branchId: branch.id };
      }),
    );
  }

  /**
   * A `Session` bound to one running turn, for `run(agent, userText, { session })`: it serves the history before
   * the turn and stores the run's new items into the turn, skipping the user message `beginTurn` already stored.
   */
  turnSession(turnId: string): TurnBoundSession {
    return new TurnBoundSession(this, turnId);
  }

  /** History before a turn (its ancestors' items), honouring the history limit. */
  async historyBefore(turnId: string, limit?: number): Promise<AgentInputItem[]> {
    const turn = await this.db.turn.findFirst({ where: { id: turnId, conversationId: this.#id }, select: { parentId: true } });
    if (!turn) throw new TurnNotFoundError(turnId);
    const conversation = await this.#requireConversation();
    return this.#itemsUpTo(turn.parentId, limit ?? this.#historyLimit ?? conversation.historyLimit ?? undefined);
  }

  /** Appends items to a turn of this conversation (e.g. a stopped reply's partial text). */
  async appendToTurn(turnId: string, items: AgentInputItem[]): Promise<void> {
    if (items.length === 0) return;
    await writeLocks.run(this.#id, () =>
      this.#transaction(async (tx) => {
        await this.#lockConversation(tx);
        const turn = await tx.turn.findFirst({ where: { id: turnId, conversationId: this.#id }, select: { id: true } });
        if (!turn) throw new TurnNotFoundError(turnId);
        await appendItems(tx, turnId, items, this.#seal);
      }),
    );
  }

  /** Ends a running turn with a final status; a turn that already ended is left as it is. */
  async finishTurn(turnId: string, status: Exclude<TurnStatus, "in_progress">, error?: { code: string; message: string }): Promise<boolean> {
    const result = await retryOnBusy(() =>
      this.db.turn.updateMany({
        where: { id: turnId, conversationId: this.#id, status: "in_progress" },
        data: { status, errorCode: error?.code ?? null, errorMessage: error?.message ?? null, completedAt: new Date(), heartbeatAt: null },
      }),
    );
    if (result.count > 0) await retryOnBusy(() => this.db.conversation.update({ where: { id: this.#id }, data: { updatedAt: new Date() } }));
    return result.count > 0;
  }

  /** Asks the runner of a turn to stop; any instance can ask, the runner polls. */
  async requestStop(turnId: string): Promise<void> {
    const turn = await this.db.turn.findFirst({ where: { id: turnId, conversationId: this.#id }, select: { status: true } });
    if (!turn) throw new TurnNotFoundError(turnId);
    if (turn.status !== "in_progress") throw new TurnNotRunningError(turnId, turn.status);
    await retryOnBusy(() => this.db.turn.update({ where: { id: turnId }, data: { stopRequested: true } }));
  }

  /** Whether a stop was requested for a running turn; also refreshes its heartbeat. */
  async heartbeat(turnId: string): Promise<{ stopRequested: boolean }> {
    const beat = await retryOnBusy(() => this.db.turn.updateMany({ where: { id: turnId, conversationId: this.#id }, data: { heartbeatAt: new Date() } }));
    if (beat.count === 0) throw new TurnNotFoundError(turnId);
    const turn = await this.db.turn.findUniqueOrThrow({ where: { id: turnId }, select: { stopRequested: true } });
    return { stopRequested: turn.stopRequested };
  }
}

/** Appends items at the end of a turn; the atomic counter update orders concurrent writers. `seal` encodes content. */
async function appendItems(tx: DbLike, turnId: string, items: AgentInputItem[], seal: (json: string) => string): Promise<void> {
  const turn = await tx.turn.update({ where: { id: turnId }, data: { itemCount: { increment: items.length } }, select: { itemCount: true } });
  const start = turn.itemCount - items.length;
  await tx.item.createMany({
    data: items.map((item, index) => {
      const meta = itemMeta(item);
      return { turnId, position: start + index, type: meta.type, role: meta.role, toolName: meta.toolName, callId: meta.callId, content: seal(JSON.stringify(item)) };
    }),
  });
}

/** The `Session` view of one running turn; see `PrismaSession.turnSession`. */
export class TurnBoundSession implements Session {
  #skippedUserMessage = false;
  #closed = false;

  constructor(
    readonly owner: PrismaSession,
    readonly turnId: string,
  ) {}

  getSessionId(): Promise<string> {
    return this.owner.getSessionId();
  }

  getItems(limit?: number): Promise<AgentInputItem[]> {
    return this.owner.historyBefore(this.turnId, limit);
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
    await this.owner.appendToTurn(this.turnId, rest);
  }

  popItem(): Promise<AgentInputItem | undefined> {
    return this.owner.popItem();
  }

  clearSession(): Promise<void> {
    return this.owner.clearSession();
  }
}
