import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import { resolveDatabaseTarget, type DatabaseProvider } from "./database-url.ts";

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
    return { db: new PostgresClient({ adapter }) as unknown as Db, provider: "postgres" };
  }
  fs.mkdirSync(path.dirname(target.filePath!), { recursive: true });
  const adapter = new PrismaBetterSqlite3({ url: target.url, timeout: 10_000 });
  return { db: new SqliteClient({ adapter }), provider: "sqlite" };
}
