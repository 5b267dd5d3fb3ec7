import type {
  ConnectionInfo,
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";

/** A FIFO lock: one holder at a time, in arrival order. */
class FifoLock {
  #tail: Promise<void> = Promise.resolve();

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }
}

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

  constructor(inner: SqlDriverAdapter) {
    this.#inner = inner;
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

/** Wraps the better-sqlite3 adapter factory so each connection orders plain queries around open transactions. */
export function serializedSqliteAdapter(inner: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => new SerializedConnection(await inner.connect()),
    connectToShadowDb: async () => new SerializedConnection(await inner.connectToShadowDb()),
  };
}
