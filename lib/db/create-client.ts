import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import type { NativeSqlite } from "./native-sqlite.ts";
import { resolveDatabaseTarget, type DatabaseProvider } from "./database-url.ts";
import { registerNativeSqlite } from "./sql-store.ts";
import { serializedSqliteAdapter } from "./sqlite-adapter.ts";
import { prepareSqliteFile } from "./sqlite-file.ts";

/** How long a SQLite statement waits for another process's write lock before failing with SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

// SQLite transactions of one process queue behind each other (one connection), and the first write of each may wait
// the busy timeout for another process: Prisma's defaults (start within 2 s, finish within 5 s) are too short for that.
const SQLITE_TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 30_000 };
// Writers of one conversation queue on its row lock, and deleting a long conversation is one transaction.
const POSTGRES_TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

/** The Prisma client type; both providers' generated clients share the same model API. */
export type Db = SqliteClient;

export interface DbHandle {
  db: Db;
  provider: DatabaseProvider;
}

/** Opens a Prisma client for `url` through the matching driver adapter (no query engine binary). */
export function createDbClient(url?: string): DbHandle {
  const target = resolveDatabaseTarget(url);
  if (target.provider === "postgres") {
    const max = Number(process.env.DATABASE_POOL_SIZE ?? 10);
    const adapter = new PrismaPg({ connectionString: target.url, max });
    return { db: new PostgresClient({ adapter, transactionOptions: POSTGRES_TRANSACTION_OPTIONS }) as unknown as Db, provider: "postgres" };
  }
  prepareSqliteFile(target.filePath!);
  // better-sqlite3's `timeout` is SQLite's busy timeout; the file is in WAL mode (set by the migration applier).
  const registration: { onConnect?: (native: NativeSqlite) => void } = {};
  const adapter = serializedSqliteAdapter(new PrismaBetterSqlite3({ url: target.url, timeout: SQLITE_BUSY_TIMEOUT_MS }), (native) =>
    registration.onConnect?.(native),
  );
  const db = new SqliteClient({ adapter, transactionOptions: SQLITE_TRANSACTION_OPTIONS });
  registration.onConnect = registerNativeSqlite(db);
  return { db, provider: "sqlite" };
}
