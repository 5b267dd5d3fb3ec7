import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDbClient, type DbHandle } from "@/lib/db/create-client";
import { applyMigrations } from "@/lib/db/migrate";

export interface TestDb extends DbHandle {
  url: string;
  dispose(): Promise<void>;
}

// Captured at load: harnesses later point DATABASE_URL at the per-test database itself.
const SERVER_URL = process.env.DATABASE_URL;

/** A fresh, migrated database: a new SQLite file, or a new database on the server when DATABASE_URL is PostgreSQL. */
export async function createTestDb(): Promise<TestDb> {
  const serverUrl = SERVER_URL;
  if (serverUrl && /^postgres(ql)?:/.test(serverUrl)) {
    const name = `forkline_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    await applyMigrations(url.toString());
    const handle = createDbClient(url.toString());
    return {
      ...handle,
      url: url.toString(),
      async dispose() {
        await handle.db.$disconnect();
        const cleanup = new pg.Client({ connectionString: serverUrl });
        await cleanup.connect();
        await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await cleanup.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "forkline-test-"));
  const url = `file:${path.join(dir, "test.db")}`;
  await applyMigrations(url);
  const handle = createDbClient(url);
  return {
    ...handle,
    url,
    async dispose() {
      await handle.db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
