import Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient as SqliteClient } from "@/lib/db/generated/sqlite/client";
import { serializedSqliteAdapter } from "@/lib/db/sqlite-adapter";
import { PrismaSession } from "@/lib/session";
import { busyRetryStats, isBusyError, retryOnBusy } from "@/lib/db/busy-retry";
import { createTestDb, type TestDb } from "../../support/test-db";
import { assistant, texts, user } from "../../support/items";

const onPostgres = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? "");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.dispose();
});

describe("one connection, concurrent requests", () => {
  it("a write made while another request's transaction is open is not rolled back with it", async () => {
    const { db } = testDb;
    await db.conversation.create({ data: { id: "tx-owner" } });
    const doomed = db
      .$transaction(async (tx) => {
        await tx.$executeRaw`UPDATE "Conversation" SET "userId" = "userId" WHERE "id" = 'tx-owner'`;
        await sleep(150);
        throw new Error("rolled back on purpose");
      })
      .catch((error: Error) => error.message);
    await sleep(30);
    await db.conversation.create({ data: { id: "outside-write" } });
    expect(await doomed).toBe("rolled back on purpose");
    expect(await db.conversation.count({ where: { id: "outside-write" } })).toBe(1);
  });
});

describe.skipIf(onPostgres)("SQLite busy handling", () => {
  function shortTimeoutClient(timeoutMs: number) {
    const file = testDb.url.slice("file:".length);
    return new SqliteClient({ adapter: serializedSqliteAdapter(new PrismaBetterSqlite3({ url: `file:${file}`, timeout: timeoutMs })) });
  }

  it("recognises SQLite's lock timeout as a busy error, and retries a write until the lock is free", async () => {
    const db = shortTimeoutClient(50);
    const holder = new Database(testDb.url.slice("file:".length), { timeout: 5_000 });
    try {
      const session = new PrismaSession({ sessionId: "busy-retry", db });
      await session.ensureConversation();
      holder.exec("BEGIN IMMEDIATE"); // another process holds the write lock
      const plain = await db.conversation.create({ data: { id: "not-retried" } }).catch((error: unknown) => error);
      expect(isBusyError(plain)).toBe(true);

      const before = busyRetryStats.retries;
      setTimeout(() => holder.exec("COMMIT"), 300);
      await session.addItems([user("waited"), assistant("for the lock")]);
      expect(busyRetryStats.retries).toBeGreaterThan(before);
      expect(texts(await session.getItems())).toEqual(["waited", "for the lock"]);
    } finally {
      if (holder.inTransaction) holder.exec("ROLLBACK");
      holder.close();
      await db.$disconnect();
    }
  });
});

describe("retryOnBusy", () => {
  it("retries busy failures only, and gives up after a bounded number of attempts", async () => {
    let calls = 0;
    const locked = Object.assign(new Error("Raw query failed. Code: `SQLITE_BUSY`. Message: `database is locked`"), { code: "P2010" });
    await expect(
      retryOnBusy(async () => {
        calls += 1;
        if (calls < 3) throw locked;
        return "done";
      }),
    ).resolves.toBe("done");
    expect(calls).toBe(3);

    calls = 0;
    const conflict = Object.assign(new Error("turn_in_progress"), { code: "turn_in_progress" });
    const failWith = (error: Error) => async () => {
      calls += 1;
      throw error;
    };
    await expect(retryOnBusy(failWith(conflict))).rejects.toBe(conflict);
    expect(calls).toBe(1);

    calls = 0;
    await expect(retryOnBusy(failWith(locked))).rejects.toBe(locked);
    expect(calls).toBe(6);
  });

  it("classifies Prisma's busy and transaction-timeout errors", () => {
    expect(isBusyError({ code: "P1008", message: "Operations timed out" })).toBe(true);
    expect(isBusyError({ code: "P2034", message: "Transaction failed due to a write conflict or a deadlock" })).toBe(true);
    expect(isBusyError({ code: "P2028", message: "Transaction API error: Unable to start a transaction in the given time." })).toBe(true);
    expect(isBusyError({ code: "P2028", message: "Transaction API error: Transaction not found." })).toBe(false);
    expect(isBusyError({ code: "P2002", message: "Unique constraint failed" })).toBe(false);
    expect(isBusyError(new Error("SqliteError: database is locked"))).toBe(true);
  });
});
