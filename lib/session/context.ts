import type { Db } from "@/lib/db";
import { findConversation, retryOnBusy, sqlStoreFor, type Sql, type SqlStore } from "@/lib/db/session";
import { ConversationNotFoundError } from "./errors";
import { ItemCodec } from "./item-codec";
import { KeyedMutex } from "./keyed-mutex";

const writeQueues = new KeyedMutex();

/** What every part of a session shares: its conversation, owner, codec and database access. */
export class SessionContext {
  #store: Promise<SqlStore> | undefined;

  constructor(
    readonly id: string,
    readonly userId: string | undefined,
    readonly historyLimit: number | undefined,
    readonly codec: ItemCodec,
    readonly dbOption: Db | undefined,
  ) {}

  /** The SQL store; without a `db` option the app's client for DATABASE_URL, loaded on first use. */
  store(): Promise<SqlStore> {
    this.#store ??= (async () => {
      const db = this.dbOption ?? (await import("@/lib/db/default-client")).getDbHandle().db;
      return sqlStoreFor(db);
    })();
    return this.#store;
  }

  /**
   * Refuses (`conversation_not_found`) when the session is scoped to an owner and the conversation is not theirs or
   * does not exist; a session without `userId` is unscoped (library use) and this reads nothing.
   */
  async assertOwner(sql: Sql): Promise<void> {
    if (this.userId === undefined) return;
    const conversation = await findConversation(sql, { id: this.id });
    if (!conversation || conversation.userId !== this.userId) throw new ConversationNotFoundError(this.id);
  }

  /** Whether a conversation owned by `userId` is visible to this session. */
  owns(userId: string): boolean {
    return this.userId === undefined || this.userId === userId;
  }

  /**
   * One write transaction on this conversation: queued behind this process's other writers of it, run again while
   * the database is busy (it rolled back), and serialised across processes by the conversation lock it takes first.
   */
  write<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    return writeQueues.run(this.id, async () => {
      const store = await this.store();
      return retryOnBusy(() =>
        store.transaction(async (tx) => {
          await tx.lockConversation(this.id);
          return work(tx);
        }),
      );
    });
  }

  /** A single-statement write outside a transaction, run again while the database is busy. */
  async writeOne<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const store = await this.store();
    return retryOnBusy(() => work(store));
  }

  /** Reads outside a transaction. */
  async read<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return work(await this.store());
  }
}
