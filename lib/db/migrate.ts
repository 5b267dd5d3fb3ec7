import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { resolveDatabaseTarget, type DatabaseProvider } from "./database-url.ts";
import { prepareSqliteFile } from "./sqlite-file.ts";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  provider: DatabaseProvider;
  applied: string[];
}

/** Same DDL Prisma's schema engine uses, so `prisma migrate deploy` agrees with this applier. */
const MIGRATIONS_TABLE: Record<DatabaseProvider, string> = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`,
  postgres: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`,
};

/** Prisma's own advisory lock key for migrations, so several instances never apply twice. */
const PG_MIGRATION_LOCK = 72707369;

export function migrationsDir(provider: DatabaseProvider, root = process.cwd()): string {
  return path.join(root, "prisma", provider, "migrations");
}

/** Reads the committed migrations of a provider, oldest first. */
export function readMigrations(provider: DatabaseProvider, root?: string): Migration[] {
  const dir = migrationsDir(provider, root);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
}

function pending(migrations: Migration[], applied: AppliedRow[]): Migration[] {
  const done = new Map(applied.filter((row) => row.finished_at !== null).map((row) => [row.migration_name, row]));
  const known = new Set(migrations.map((migration) => migration.name));
  const unknown = [...done.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(`the database has migrations this version of Forkline does not know (${unknown.join(", ")}): run the newer version`);
  }
  for (const migration of migrations) {
    const row = done.get(migration.name);
    if (row && row.checksum !== migration.checksum) {
      throw new Error(`migration ${migration.name} was changed after it was applied (checksum mismatch)`);
    }
  }
  return migrations.filter((migration) => !done.has(migration.name));
}

function applySqlite(filePath: string, migrations: Migration[]): string[] {
  prepareSqliteFile(filePath);
  const db = new Database(filePath, { timeout: 30_000 });
  try {
    db.pragma("journal_mode = WAL");
    db.exec(MIGRATIONS_TABLE.sqlite);
    const insert = db.prepare(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
       VALUES (?, ?, ?, ?, ?, 1)`,
    );
    const run = db.transaction(() => {
      const applied = db.prepare(`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"`).all() as AppliedRow[];
      const todo = pending(migrations, applied);
      for (const migration of todo) {
        const startedAt = Date.now();
        db.exec(migration.sql);
        insert.run(randomUUID(), migration.checksum, Date.now(), migration.name, startedAt);
      }
      return todo.map((migration) => migration.name);
    });
    return run.immediate();
  } finally {
    db.close();
  }
}

async function applyPostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PG_MIGRATION_LOCK]);
    await client.query(MIGRATIONS_TABLE.postgres);
    const { rows } = await client.query<AppliedRow>(`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"`);
    const todo = pending(migrations, rows);
    for (const migration of todo) {
      await client.query("BEGIN");
      try {
        const startedAt = new Date();
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, $4, 1)`,
          [randomUUID(), migration.checksum, migration.name, startedAt],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`);
      }
    }
    return todo.map((migration) => migration.name);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PG_MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}

/** Applies every committed migration not yet recorded in `_prisma_migrations`; safe to run concurrently. */
export async function applyMigrations(url?: string, root?: string): Promise<MigrationResult> {
  const target = resolveDatabaseTarget(url);
  const migrations = readMigrations(target.provider, root);
  if (migrations.length === 0) throw new Error(`no migrations found in ${migrationsDir(target.provider, root)}`);
  const applied =
    target.provider === "sqlite"
      ? applySqlite(target.filePath!, migrations)
      : await applyPostgres(target.url, migrations);
  return { provider: target.provider, applied };
}
