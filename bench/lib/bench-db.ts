import path from "node:path";
import Database from "better-sqlite3";
import { createDbClient, type Db } from "@/lib/db/create-client";
import { applyMigrations } from "@/lib/db/migrate";
import type { Resources } from "./resources";

export interface BenchDb {
  url: string;
  file: string;
  /** The app's Prisma client (driver adapter), exactly as `lib/db` builds it. */
  db: Db;
  /** A plain better-sqlite3 connection on the same file, for baselines. */
  raw: Database.Database;
}

/** A migrated SQLite file with the app's Prisma client and a raw connection, both closed with `resources`. */
export async function openBenchDb(resources: Resources, dir: string, name = "bench.db"): Promise<BenchDb> {
  const file = path.join(dir, name);
  const url = `file:${file}`;
  await applyMigrations(url);
  const { db } = createDbClient(url);
  resources.defer(`prisma client ${name}`, () => db.$disconnect());
  // Same options as the Prisma adapter's connection (lib/db/create-client.ts), so both pay the same pragmas.
  const raw = new Database(file, { timeout: 10_000 });
  resources.defer(`raw connection ${name}`, () => {
    raw.close();
  });
  return { url, file, db, raw };
}

/** The journal mode and synchronous level of both connections, to show the baselines run under the same settings. */
export async function connectionSettings(bench: BenchDb): Promise<string> {
  const prisma = await bench.db.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous");
  const journal = bench.raw.pragma("journal_mode", { simple: true });
  const rawSync = bench.raw.pragma("synchronous", { simple: true });
  return `journal_mode=${String(journal)}, synchronous prisma=${String(prisma[0]?.synchronous)} raw=${String(rawSync)}`;
}
