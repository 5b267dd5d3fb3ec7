import { createDbClient, type DbHandle } from "./create-client.ts";

const globalForDb = globalThis as unknown as { forklineDb?: DbHandle };

/** The process-wide Prisma client for `DATABASE_URL` (one per process, survives dev hot reloads). */
export function getDbHandle(): DbHandle {
  globalForDb.forklineDb ??= createDbClient();
  return globalForDb.forklineDb;
}
