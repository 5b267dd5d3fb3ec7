import "server-only";
import { getDbHandle } from "./default-client.ts";
import type { Db } from "./create-client.ts";

export type { Db } from "./create-client.ts";
export type { DatabaseProvider } from "./database-url.ts";
export { getDbHandle } from "./default-client.ts";

/** Shorthand for `getDbHandle().db`. */
export function getDb(): Db {
  return getDbHandle().db;
}
export type { Prisma } from "./generated/sqlite/client.ts";
