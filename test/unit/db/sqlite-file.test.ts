import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { sqliteFileWarnings } from "@/lib/db/sqlite-file";

let root: string;
const mode = (file: string) => fs.statSync(file).mode & 0o777;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "forkline-perms-"));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("the SQLite database on disk", () => {
  it("creates data/ 0700 and the database, WAL and shared-memory files 0600", async () => {
    const file = path.join(root, "data", "forkline.db");
    await applyMigrations(`file:${file}`);
    expect(mode(path.dirname(file))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    const db = new Database(file);
    try {
      db.pragma("journal_mode = WAL");
      db.exec("CREATE TABLE probe (x INTEGER); INSERT INTO probe VALUES (1)");
      expect(mode(`${file}-wal`)).toBe(0o600);
      expect(mode(`${file}-shm`)).toBe(0o600);
      expect(sqliteFileWarnings(file)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it("warns, naming the fix, when an existing directory or file is open to other users", async () => {
    const dir = path.join(root, "shared");
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    const file = path.join(dir, "forkline.db");
    fs.writeFileSync(file, "");
    fs.chmodSync(file, 0o644);
    await applyMigrations(`file:${file}`);
    expect(mode(file)).toBe(0o644);
    expect(sqliteFileWarnings(file)).toEqual([
      `${dir} is open to other users (mode 755, want 700): chmod 700 ${dir}`,
      `${file} is open to other users (mode 644, want 600): chmod 600 ${file}`,
    ]);
  });
});
