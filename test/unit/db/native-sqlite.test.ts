import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { FifoLock } from "@/lib/db/fifo-lock";
import { NativeSqlite, statementKind } from "@/lib/db/native-sqlite";

describe("NativeSqlite", () => {
  it("prepares a statement once and reuses it, holding at most 256", () => {
    const native = new NativeSqlite(new Database(":memory:"), new FifoLock());
    native.run(`CREATE TABLE t ("x" INTEGER)`, []);
    for (let n = 0; n < 5; n += 1) native.run(`INSERT INTO t ("x") VALUES (?)`, [n]);
    expect(native.all(`SELECT COUNT(*) AS "n" FROM t`, [])).toEqual([{ n: 5 }]);
    expect(native.cachedStatements).toBe(3);
    for (let n = 0; n < 300; n += 1) native.all(`SELECT ${n} AS "v"`, []);
    expect(native.cachedStatements).toBe(256);
  });

  it("writes dates and booleans the way Prisma's SQLite adapter does", () => {
    const native = new NativeSqlite(new Database(":memory:"), new FifoLock());
    native.run(`CREATE TABLE t ("at" DATETIME, "flag" BOOLEAN)`, []);
    native.run(`INSERT INTO t VALUES (?, ?)`, [new Date("2026-12-02T05:00:00.000Z"), true]);
    expect(native.all(`SELECT "at", "flag" FROM t`, [])).toEqual([{ at: "2026-12-02T05:00:00.000+00:00", flag: 1 }]);
  });

  it("rolls a failed transaction back", async () => {
    const native = new NativeSqlite(new Database(":memory:"), new FifoLock());
    native.run(`CREATE TABLE t ("x" INTEGER)`, []);
    await expect(
      native.exclusive(true, async () => {
        native.run(`INSERT INTO t VALUES (1)`, []);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(native.all(`SELECT COUNT(*) AS "n" FROM t`, [])).toEqual([{ n: 0 }]);
  });

  it("names a WITH statement by its main verb", () => {
    expect(statementKind(`WITH RECURSIVE p("id") AS (SELECT 1 UNION ALL SELECT 2) SELECT * FROM p`)).toBe("SELECT");
    expect(statementKind(" begin immediate")).toBe("BEGIN");
  });
});
