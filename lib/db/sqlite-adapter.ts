import type {
  ConnectionInfo,
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";
import type Database from "better-sqlite3";
import { FifoLock } from "./fifo-lock.ts";
import { NativeSqlite } from "./native-sqlite.ts";

/**
 * One better-sqlite3 connection serves the whole process, and Prisma's interactive transactions are async: without
 * this, a query from another request that ran while a transaction was open executed *inside* it, so it read
 * uncommitted rows, was silently rolled back with it (a lost write), or turned its snapshot stale so its first write
 * failed with SQLITE_BUSY. Here a query outside a transaction waits until the open transaction ends.
 */
class SerializedConnection implements SqlDriverAdapter {
  readonly #inner: SqlDriverAdapter;
  readonly #lock = new FifoLock();

  readonly getConnectionInfo?: () => ConnectionInfo;

  /** The same connection for direct use, behind the same lock. */
  readonly native: NativeSqlite;

  constructor(inner: SqlDriverAdapter) {
    this.#inner = inner;
    this.native = new NativeSqlite((inner as unknown as { client: Database.Database }).client, this.#lock);
    if (inner.getConnectionInfo) this.getConnectionInfo = () => inner.getConnectionInfo!();
  }

  get provider() {
    return this.#inner.provider;
  }

  get adapterName() {
    return this.#inner.adapterName;
  }

  queryRaw(query: SqlQuery) {
    return this.#lock.run(() => this.#inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery) {
    return this.#lock.run(() => this.#inner.executeRaw(query));
  }

  executeScript(script: string) {
    return this.#lock.run(() => this.#inner.executeScript(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const release = await this.#lock.acquire();
    let transaction: Transaction;
    try {
      transaction = await this.#inner.startTransaction(isolationLevel);
    } catch (error) {
      release();
      throw error;
    }
    // The lock is held until Prisma ends the transaction (commit, rollback, timeout or a discarded late start).
    return {
      provider: transaction.provider,
      adapterName: transaction.adapterName,
      options: transaction.options,
      queryRaw: (query) => transaction.queryRaw(query),
      executeRaw: (query) => transaction.executeRaw(query),
      commit: () => transaction.commit().finally(release),
      rollback: () => transaction.rollback().finally(release),
      ...(transaction.createSavepoint ? { createSavepoint: (name: string) => transaction.createSavepoint!(name) } : {}),
      ...(transaction.rollbackToSavepoint ? { rollbackToSavepoint: (name: string) => transaction.rollbackToSavepoint!(name) } : {}),
      ...(transaction.releaseSavepoint ? { releaseSavepoint: (name: string) => transaction.releaseSavepoint!(name) } : {}),
    };
  }

  dispose() {
    return this.#inner.dispose();
  }
}

/**
 * Wraps the better-sqlite3 adapter factory so each connection orders plain queries around open transactions;
 * `onConnect` receives each connection's native handle.
 */
export function serializedSqliteAdapter(
  inner: SqlMigrationAwareDriverAdapterFactory,
  onConnect?: (native: NativeSqlite) => void,
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => {
      const connection = new SerializedConnection(await inner.connect());
      onConnect?.(connection.native);
      return connection;
    },
    connectToShadowDb: async () => new SerializedConnection(await inner.connectToShadowDb()),
  };
}
