import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import type { NativeSqlite } from "./native-sqlite.ts";
import { dbBusyBudgetMs } from "./busy-budget.ts";
import { resolveDatabaseTarget, type DatabaseProvider } from "./database-url.ts";
import { registerNativeSqlite } from "./sql-store.ts";
import { serializedSqliteAdapter } from "./sqlite-adapter.ts";
import { prepareSqliteFile } from "./sqlite-file.ts";

/**
 * The waits of one attempt, from the busy budget (FORKLINE_DB_BUSY_TIMEOUT_MS): a SQLite statement waits half of it
 * for another process's write lock, a transaction half of it for its turn on this process's connection; retryOnBusy
 * starts another attempt only while that still fits in the budget. (Before: 10 s × retries + 30 s queueing ≈ 45 s.)
 */
export function dbWaits(budgetMs: number = dbBusyBudgetMs()) {
  const attempt = Math.max(100, Math.floor(budgetMs / 2));
  return {
    sqliteBusyTimeoutMs: attempt,
    // A transaction may run long (deleting a long conversation is one), so only its wait to start is bounded here.
    sqliteTransaction: { maxWait: attempt, timeout: 30_000 },
    // Writers of one conversation queue on its row lock; lock_timeout ends a wait for another writer's lock (55P03).
    postgresTransaction: { maxWait: attempt, timeout: 15_000 },
    postgresLockTimeoutMs: attempt,
  };
}

/** The Prisma client type; both providers' generated clients share the same model API. */
export type Db = SqliteClient;

export interface DbHandle {
  db: Db;
  provider: DatabaseProvider;
}

/** Opens a Prisma client for `url` through the matching driver adapter (no query engine binary). */
export function createDbClient(url?: string): DbHandle {
  const target = resolveDatabaseTarget(url);
  const waits = dbWaits();
  if (target.provider === "postgres") {
    const max = Number(process.env.DATABASE_POOL_SIZE ?? 10);
    const adapter = new PrismaPg({ connectionString: target.url, max, options: `-c lock_timeout=${waits.postgresLockTimeoutMs}` });
    return { db: new PostgresClient({ adapter, transactionOptions: waits.postgresTransaction }) as unknown as Db, provider: "postgres" };
  }
  prepareSqliteFile(target.filePath!);
  // better-sqlite3's `timeout` is SQLite's busy timeout; the file is in WAL mode (set by the migration applier).
  const registration: { onConnect?: (native: NativeSqlite) => void } = {};
  const adapter = serializedSqliteAdapter(new PrismaBetterSqlite3({ url: target.url, timeout: waits.sqliteBusyTimeoutMs }), (native) =>
    registration.onConnect?.(native),
  );
  const db = new SqliteClient({ adapter, transactionOptions: waits.sqliteTransaction });
  registration.onConnect = registerNativeSqlite(db);
  return { db, provider: "sqlite" };
}
