import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Env } from "@/lib/env";
import { deleteExpiredConversations, startRetentionSweeper } from "@/lib/retention/sweep";
import { PrismaSession } from "@/lib/session";
import { createTestDb, type TestDb } from "../../support/test-db";
import { assistant, texts, user } from "../../support/items";

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.dispose();
});

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date();
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

async function conversation(id: string, exchanges: number, updatedAt: Date): Promise<PrismaSession> {
  const s = new PrismaSession({ sessionId: id, db: testDb.db });
  for (let n = 1; n <= exchanges; n += 1) {
    await s.addItems([user(`${id} q${n}`), assistant(`${id} a${n}`)]);
    await s.storeRunUsage({ requests: 1, inputTokens: 10, cachedInputTokens: 0, outputTokens: 5, reasoningTokens: 0 }, { model: "gpt-4o" });
  }
  await age(id, updatedAt);
  return s;
}

const age = (id: string, updatedAt: Date) => testDb.db.conversation.update({ where: { id }, data: { updatedAt } });

async function counts(ids: string[]) {
  const where = { conversationId: { in: ids } };
  return {
    conversations: await testDb.db.conversation.count({ where: { id: { in: ids } } }),
    turns: await testDb.db.turn.count({ where }),
    items: await testDb.db.item.count({ where: { turn: where } }),
    usage: await testDb.db.turnUsage.count({ where: { turn: where } }),
    branches: await testDb.db.branch.count({ where }),
  };
}

describe("retention (FORKLINE_RETENTION_DAYS)", () => {
  it("deletes conversations not updated for N days with their turns and items (their spend stays in the ledger); keeps the rest and forks", async () => {
    await conversation("r-old-1", 2, daysAgo(45));
    const old2 = await conversation("r-old-2", 3, daysAgo(31));
    await conversation("r-recent-1", 2, daysAgo(29));
    await conversation("r-recent-2", 1, daysAgo(0));
    // A recent fork of an old conversation reads its first two turns through it.
    const forkId = await old2.forkToNewConversation(2, { title: "fork" });
    await new PrismaSession({ sessionId: forkId, db: testDb.db }).addItems([user("fork q3"), assistant("fork a3")]);
    await age("r-old-2", daysAgo(31));
    const all = ["r-old-1", "r-old-2", "r-recent-1", "r-recent-2", forkId];
    expect(await counts(all)).toEqual({ conversations: 5, turns: 2 + 3 + 2 + 1 + 1, items: 18, usage: 8, branches: 5 });

    const result = await deleteExpiredConversations({ db: testDb.db, days: 30, now: NOW });

    expect(result).toEqual({ deleted: 2, failed: 0 });
    expect(await counts(["r-old-1", "r-old-2"])).toEqual({ conversations: 0, turns: 0, items: 0, usage: 0, branches: 0 });
    // The fork now owns the two turns it read through (with their usage); turn 3 of r-old-2 is gone.
    expect(await counts(["r-recent-1", "r-recent-2", forkId])).toEqual({ conversations: 3, turns: 2 + 1 + 3, items: 12, usage: 3 + 2, branches: 3 });
    expect(await counts(all)).toEqual({ conversations: 3, turns: 6, items: 12, usage: 5, branches: 3 });
    // Money spent stays spent: the 3 rows of the deleted turns remain, unlinked, in the ledger.
    expect(await testDb.db.turnUsage.count({ where: { conversationId: { in: all } } })).toBe(8);
    expect(await testDb.db.turnUsage.count({ where: { conversationId: { in: all }, turnId: null } })).toBe(3);
    expect(texts(await new PrismaSession({ sessionId: forkId, db: testDb.db }).getItems())).toEqual([
      "r-old-2 q1",
      "r-old-2 a1",
      "r-old-2 q2",
      "r-old-2 a2",
      "fork q3",
      "fork a3",
    ]);
    // A second sweep finds nothing more.
    expect(await deleteExpiredConversations({ db: testDb.db, days: 30, now: NOW })).toEqual({ deleted: 0, failed: 0 });
  });

  it("the sweeper runs at once and then on its interval, and stops", async () => {
    await conversation("s-old", 1, new Date(Date.now() - 3 * DAY));
    await conversation("s-new", 1, new Date());
    const log = vi.fn();
    const stop = startRetentionSweeper({ db: () => testDb.db, days: 2, intervalMs: 50, log });
    await expect.poll(() => testDb.db.conversation.count({ where: { id: "s-old" } })).toBe(0);
    await conversation("s-old-later", 1, new Date(Date.now() - 3 * DAY));
    await expect.poll(() => testDb.db.conversation.count({ where: { id: "s-old-later" } })).toBe(0);
    stop();
    expect(await testDb.db.conversation.count({ where: { id: "s-new" } })).toBe(1);
    expect(log).toHaveBeenCalledWith("forkline: retention deleted 1 conversation(s) not updated for 2 day(s)");
  });

  it("validates the setting: unset keeps everything, a positive number of days is required", () => {
    expect(Env.parse({}).FORKLINE_RETENTION_DAYS).toBeUndefined();
    expect(Env.parse({ FORKLINE_RETENTION_DAYS: "" }).FORKLINE_RETENTION_DAYS).toBeUndefined();
    expect(Env.parse({ FORKLINE_RETENTION_DAYS: "90" }).FORKLINE_RETENTION_DAYS).toBe(90);
    expect(Env.safeParse({ FORKLINE_RETENTION_DAYS: "0" }).error?.issues[0]?.message).toMatch(/more than 0/);
    expect(Env.safeParse({ FORKLINE_RETENTION_DAYS: "forever" }).error?.issues[0]?.message).toMatch(/number of days/);
  });
});
