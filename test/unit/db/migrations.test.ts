import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { diffMigrationsToSchema } from "../../../scripts/schema-engine";
import { createTestDb, type TestDb } from "../../support/test-db";

const serverUrl = process.env.DATABASE_URL;
const onPostgres = Boolean(serverUrl && /^postgres/.test(serverUrl));
const provider = onPostgres ? "postgres" : "sqlite";
const opened: TestDb[] = [];

afterAll(async () => {
  await Promise.all(opened.map((db) => db.dispose()));
});

describe(`migrations (${provider})`, () => {
  it("replayed on an empty database, match the models exactly (no drift)", async () => {
    const url = onPostgres ? serverUrl! : `file:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), "forkline-drift-")), "drift.db")}`;
    expect(await diffMigrationsToSchema(url)).toBe("");
  }, 60_000);

  it("are recorded in _prisma_migrations with Prisma's checksum and applied only once", async () => {
    const testDb = await createTestDb();
    opened.push(testDb);
    const again = await applyMigrations(testDb.url);
    expect(again.applied).toEqual([]);
    const rows = await testDb.db.$queryRawUnsafe<{ migration_name: string; checksum: string }[]>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const committed = readMigrations(provider);
    expect(rows.map((row) => row.migration_name)).toEqual(committed.map((migration) => migration.name));
    for (const migration of committed) {
      expect(migration.checksum).toBe(createHash("sha256").update(migration.sql).digest("hex"));
    }
    expect(rows.map((row) => row.checksum)).toEqual(committed.map((migration) => migration.checksum));
  });

  it("refuses to run against a database migrated by a newer version", async () => {
    const testDb = await createTestDb();
    opened.push(testDb);
    await testDb.db.$executeRawUnsafe(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
       VALUES ('future', 'x', CURRENT_TIMESTAMP, '29990101000000_from_the_future', CURRENT_TIMESTAMP, 1)`,
    );
    await expect(applyMigrations(testDb.url)).rejects.toThrow(/29990101000000_from_the_future/);
  });

  it("refuses to run when an applied migration was edited afterwards", async () => {
    const testDb = await createTestDb();
    opened.push(testDb);
    await testDb.db.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET checksum = 'tampered'`);
    await expect(applyMigrations(testDb.url)).rejects.toThrow(/checksum mismatch/);
  });
});
