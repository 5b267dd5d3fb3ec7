import "server-only";
import { createDbClient, type Db, type DbHandle } from "./create-client.ts";

export type { Db } from "./create-client.ts";
export type { DatabaseProvider } from "./database-url.ts";

const globalForDb = globalThis as unknown as { forklineDb?: DbHandle };

/** The process-wide Prisma client for `DATABASE_URL` (one per process, survives dev hot reloads). */
export function getDbHandle(): DbHandle {
  globalForDb.forklineDb ??= createDbClient();
  return globalForDb.forklineDb;
}

/** Shorthand for `getDbHandle().db`. */
export function getDb(): Db {
  return getDbHandle().db;
}
export type { Prisma } from "./generated/sqlite/client.ts";
