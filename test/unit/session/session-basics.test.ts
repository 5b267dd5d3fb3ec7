import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaSession } from "@/lib/session";
import { createTestDb, type TestDb } from "../../support/test-db";
import { assistant, texts, toolCall, toolResult, user } from "../../support/items";

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.dispose();
});

const session = (sessionId?: string, extra: { historyLimit?: number; userId?: string } = {}) =>
  new PrismaSession({ sessionId, db: testDb.db, ...extra });

describe("PrismaSession basics (SDK session behaviours)", () => {
  it("returns items in the order they were added, across restarts", async () => {
    const first = session("order");
    await first.addItems([user("one"), assistant("two")]);
    await first.addItems([user("three"), assistant("four")]);
    const reopened = session("order");
    expect(texts(await reopened.getItems())).toEqual(["one", "two", "three", "four"]);
  });

  it("honours limits: 2 → last two, 0 → none, larger than history → all", async () => {
    const s = session("limits");
    await s.addItems([user("a"), assistant("b"), user("c"), assistant("d")]);
    expect(texts(await s.getItems(2))).toEqual(["c", "d"]);
    expect(await s.getItems(0)).toEqual([]);
    expect(texts(await s.getItems(100))).toEqual(["a", "b", "c", "d"]);
    expect(texts(await s.getItems(3))).toEqual(["b", "c", "d"]);
  });

  it("applies historyLimit when no explicit limit is given", async () => {
    await session("hist").addItems([user("a"), assistant("b"), user("c"), assistant("d")]);
    expect(texts(await session("hist", { historyLimit: 3 }).getItems())).toEqual(["b", "c", "d"]);
    expect(texts(await session("hist", { historyLimit: 3 }).getItems(1))).toEqual(["d"]);
  });

  it("rejects negative or fractional limits", async () => {
    await expect(session("bad-limit").getItems(-1)).rejects.toMatchObject({ code: "invalid_argument" });
    expect(() => session("x", { historyLimit: 1.5 })).toThrow(/historyLimit/);
  });

  it("pops newest first and returns undefined when empty", async () => {
    const s = session("pop");
    await s.addItems([user("a"), assistant("b"), user("c")]);
    expect(texts([(await s.popItem())!])).toEqual(["c"]);
    expect(texts([(await s.popItem())!])).toEqual(["b"]);
    expect(texts(await s.getItems())).toEqual(["a"]);
    expect(texts([(await s.popItem())!])).toEqual(["a"]);
    expect(await s.popItem()).toBeUndefined();
    expect(await session("never-written").popItem()).toBeUndefined();
  });

  it("removes a turn emptied by pop; its usage stays in the ledger as spend of a deleted turn", async () => {
    const s = session("pop-usage");
    await s.addItems([user("a"), assistant("b")]);
    await s.storeRunUsage({ requests: 1, inputTokens: 10, cachedInputTokens: 0, outputTokens: 5, reasoningTokens: 0 }, { model: "gpt-4o" });
    await s.popItem();
    await s.popItem();
    expect(await testDb.db.turn.count({ where: { conversationId: "pop-usage" } })).toBe(0);
    expect(await testDb.db.turnUsage.findMany({ where: { conversationId: "pop-usage" }, select: { turnId: true, inputTokens: true } })).toEqual([
      { turnId: null, inputTokens: 10 },
    ]);
    expect(await s.getSessionUsage(await s.getCurrentBranchId())).toBeNull();
    expect(await s.getSessionUsage()).toMatchObject({ inputTokens: 10, costMicros: 75 });
    expect((await s.getLedgerParts()).deleted).toMatchObject({ inputTokens: 10 });
  });

  it("clears the active branch without deleting anything: other branches, raw turns and usage stay, the old path is restorable", async () => {
    const s = session("clear");
    await s.addItems([user("a"), assistant("b"), user("c")]);
    await s.storeRunUsage({ requests: 1, inputTokens: 10, cachedInputTokens: 0, outputTokens: 5, reasoningTokens: 0 }, { model: "gpt-4o" });
    const alt = await s.createBranchFromTurn(2, { name: "alt" });
    await s.switchToBranch(await mainId(s));
    const before = { turns: await testDb.db.turn.count({ where: { conversationId: "clear" } }), usage: await s.getSessionUsage() };
    await s.clearSession();
    expect(await s.getItems()).toEqual([]);
    expect((await s.listBranches()).map((b) => [b.name, b.isCurrent, b.itemCount])).toEqual([
      ["main", true, 0],
      ["alt", false, 2],
    ]);
    expect(texts(await getItemsOn(s, alt))).toEqual(["a", "b"]);
    expect(await testDb.db.turn.count({ where: { conversationId: "clear" } })).toBe(before.turns);
    expect(await s.getSessionUsage()).toEqual(before.usage);
    await s.addItems([user("again")]);
    expect(texts(await s.getItems())).toEqual(["again"]);
    const [snapshot] = await s.listSnapshots();
    expect(snapshot).toMatchObject({ ofBranchId: await mainId(s) });
    const restored = await s.restoreSnapshot(snapshot!.id, { name: "before clear" });
    expect(await s.getCurrentBranchId()).toBe(restored);
    expect(texts(await s.getItems())).toEqual(["a", "b", "c"]);
    expect(await s.listSnapshots()).toEqual([]);
  });

  it("keeps conversations sharing one database isolated", async () => {
    const a = session("iso-a");
    const b = session("iso-b");
    await a.addItems([user("for a")]);
    await b.addItems([user("for b"), assistant("b reply")]);
    expect(texts(await a.getItems())).toEqual(["for a"]);
    expect(texts(await b.getItems())).toEqual(["for b", "b reply"]);
    await a.clearSession();
    expect(texts(await b.getItems())).toEqual(["for b", "b reply"]);
  });

  it("treats a conversation of another owner as absent", async () => {
    await session("owned", { userId: "alice" }).addItems([user("secret")]);
    expect(await session("owned", { userId: "bob" }).getItems()).toEqual([]);
    expect(texts(await session("owned", { userId: "alice" }).getItems())).toEqual(["secret"]);
  });

  it("round-trips unicode and SQL-looking text unchanged", async () => {
    const tricky = ["héllo 🌳 – 中文 – עברית", "'; DROP TABLE \"Item\"; --", "line\nbreak\u0000nul", "%_ like wildcards \\"];
    const s = session("unicode");
    await s.addItems(tricky.map((text) => user(text)));
    expect(texts(await s.getItems())).toEqual(tricky);
    expect((await s.findTurnsByContent("DROP TABLE")).map((t) => t.turn)).toEqual([2]);
  });

  it("persists every item of ten concurrent addItems calls without interleaving", async () => {
    const s = session("concurrent");
    await Promise.all(
      Array.from({ length: 10 }, (_, n) => session("concurrent").addItems([user(`u${n}`), assistant(`a${n}`)])),
    );
    const items = texts(await s.getItems());
    expect(items).toHaveLength(20);
    for (let i = 0; i < 20; i += 2) expect(items[i + 1]).toBe(items[i]!.replace("u", "a"));
    expect(new Set(items).size).toBe(20);
  });

  it("leaves nothing behind when a batch fails", async () => {
    const s = session("failed-batch");
    await s.addItems([user("kept")]);
    const circular: Record<string, unknown> = { type: "message", role: "assistant", content: "x" };
    circular.self = circular;
    await expect(s.addItems([user("lost"), assistant("also lost"), circular as never])).rejects.toThrow();
    expect(texts(await s.getItems())).toEqual(["kept"]);
    expect(await testDb.db.turn.count({ where: { conversationId: "failed-batch" } })).toBe(1);
  });

  it("never returns a tool output whose call was cut off by the limit", async () => {
    const s = session("tool-pairs");
    await s.addItems([user("q"), toolCall("calc", "c1"), toolResult("calc", "c1", "5"), assistant("five")]);
    expect(texts(await s.getItems(2))).toEqual(["five"]);
    expect(texts(await s.getItems(3))).toEqual(["call:calc", "result:5", "five"]);
  });

  it("starts a new turn for each user message and groups outputs into it", async () => {
    const s = session("turns");
    await s.addItems([user("q1"), toolCall("calc", "c1"), toolResult("calc", "c1", "2"), assistant("a1"), user("q2"), assistant("a2")]);
    const turns = await s.getConversationTurns();
    expect(turns.map((t) => [t.turn, t.content, t.status])).toEqual([
      [1, "q1", "completed"],
      [2, "q2", "completed"],
    ]);
    expect(await s.getToolUsage()).toEqual([{ toolName: "calc", count: 1, turn: 1 }]);
  });
});

async function mainId(s: PrismaSession): Promise<string> {
  return (await s.listBranches()).find((branch) => branch.name === "main")!.id;
}

/** Items of another branch, read without changing which branch is active for long. */
async function getItemsOn(s: PrismaSession, branchId: string) {
  const current = await s.getCurrentBranchId();
  await s.switchToBranch(branchId);
  try {
    return await s.getItems();
  } finally {
    await s.switchToBranch(current);
  }
}
