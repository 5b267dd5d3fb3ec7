import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteIdleGuests } from "@/lib/db/idle-guests";
import { createTestDb, type TestDb } from "../../support/test-db";

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.dispose();
});

const HOUR = 60 * 60 * 1000;
const NOW = new Date();
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * HOUR);

async function user(id: string, opts: { guest: boolean; createdAt: Date; sessionUsedAt?: Date; conversation?: boolean }) {
  await testDb.db.user.create({ data: { id, name: id, email: `${id}@example.com`, isAnonymous: opts.guest, createdAt: opts.createdAt } });
  if (opts.sessionUsedAt) {
    await testDb.db.session.create({
      data: { id: `s-${id}`, token: `t-${id}`, userId: id, expiresAt: new Date(NOW.getTime() + 24 * HOUR), createdAt: opts.createdAt, updatedAt: opts.sessionUsedAt },
    });
  }
  if (opts.conversation) await testDb.db.conversation.create({ data: { id: `c-${id}`, userId: id, updatedAt: hoursAgo(100) } });
}

describe("deleteIdleGuests", () => {
  it("deletes only guests older than the cut-off with no conversations and no recent session, with their sessions", async () => {
    await user("idle-guest", { guest: true, createdAt: hoursAgo(30), sessionUsedAt: hoursAgo(30) });
    await user("idle-guest-no-session", { guest: true, createdAt: hoursAgo(48) });
    await user("fresh-guest", { guest: true, createdAt: hoursAgo(2), sessionUsedAt: hoursAgo(2) });
    await user("recently-used-guest", { guest: true, createdAt: hoursAgo(30), sessionUsedAt: hoursAgo(1) });
    await user("guest-with-chat", { guest: true, createdAt: hoursAgo(30), sessionUsedAt: hoursAgo(30), conversation: true });
    await user("old-account", { guest: false, createdAt: hoursAgo(900), sessionUsedAt: hoursAgo(900) });

    expect(await deleteIdleGuests({ db: testDb.db, before: hoursAgo(24) })).toBe(2);

    const left = (await testDb.db.user.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((row) => row.id);
    expect(left).toEqual(["fresh-guest", "guest-with-chat", "old-account", "recently-used-guest"]);
    expect(await testDb.db.session.count({ where: { userId: { in: ["idle-guest", "idle-guest-no-session"] } } })).toBe(0);
    expect(await testDb.db.conversation.count({ where: { id: "c-guest-with-chat" } })).toBe(1);
    expect(await deleteIdleGuests({ db: testDb.db, before: hoursAgo(24) })).toBe(0);
  });
});
