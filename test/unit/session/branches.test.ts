import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaSession } from "@/lib/session";
import { createTestDb, type TestDb } from "../../support/test-db";
import { assistant, texts, user } from "../../support/items";
import { addExchanges, rowCounts, siblingView } from "./helpers";

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.dispose();
});

const session = (sessionId: string) => new PrismaSession({ sessionId, db: testDb.db });

/** q1/a1 … qn/an as texts, for comparing with getItems(). */
const exchangeTexts = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => [`q${from + i}`, `a${from + i}`]).flat();

async function fiveTurns(id: string): Promise<{ s: PrismaSession; mainId: string }> {
  const s = session(id);
  await addExchanges(s, 5);
  return { s, mainId: await s.getCurrentBranchId() };
}

async function branchNamed(s: PrismaSession, name: string) {
  const found = (await s.listBranches()).find((b) => b.name === name);
  if (!found) throw new Error(`no branch ${name}`);
  return found;
}

describe("createBranchFromTurn: exclusive and inclusive contents", () => {
  it("exclusive fork of turn n holds turns 1..n-1 and switches to it", async () => {
    const { s, mainId } = await fiveTurns("excl");
    const id = await s.createBranchFromTurn(3, { name: "edit-3" });
    expect(await s.getCurrentBranchId()).toBe(id);
    expect(texts(await s.getItems())).toEqual(exchangeTexts(1, 2));
    const branch = await branchNamed(s, "edit-3");
    expect(branch).toMatchObject({ id, headTurnNumber: 2, itemCount: 4, isCurrent: true, forkedFromTurn: 3 });
    expect(await branchNamed(s, "main")).toMatchObject({ id: mainId, headTurnNumber: 5, itemCount: 10, isCurrent: false, forkedFromTurn: null });

    // The next message replaces turn 3: it becomes turn 3's sibling.
    await s.addItems([user("q3 edited"), assistant("a3 edited")]);
    expect(texts(await s.getItems())).toEqual([...exchangeTexts(1, 2), "q3 edited", "a3 edited"]);
    expect(await siblingView(s)).toEqual([
      [1, "q1", 1, 1],
      [2, "q2", 1, 1],
      [3, "q3 edited", 2, 2],
    ]);
    expect((await siblingView(s, mainId))[2]).toEqual([3, "q3", 1, 2]);
    expect(texts(await session("excl").getItems())).toEqual([...exchangeTexts(1, 2), "q3 edited", "a3 edited"]);
    await s.switchToBranch(mainId);
    expect(texts(await s.getItems())).toEqual(exchangeTexts(1, 5));
  });

  it("inclusive fork of turn n holds turns 1..n; the next message becomes a sibling of turn n+1", async () => {
    const { s, mainId } = await fiveTurns("incl");
    const id = await s.createBranchFromTurn(3, { name: "cont-3", inclusive: true });
    expect(texts(await s.getItems())).toEqual(exchangeTexts(1, 3));
    expect(await branchNamed(s, "cont-3")).toMatchObject({ id, headTurnNumber: 3, itemCount: 6, isCurrent: true, forkedFromTurn: 3 });
    await s.addItems([user("q4 alt")]);
    expect((await siblingView(s))[3]).toEqual([4, "q4 alt", 2, 2]);
    expect((await siblingView(s, mainId))[3]).toEqual([4, "q4", 1, 2]);
    expect(texts(await s.getItems())).toEqual([...exchangeTexts(1, 3), "q4 alt"]);
  });

  it("forks the last turn in both modes", async () => {
    const { s, mainId } = await fiveTurns("last");
    const exclusive = await s.createBranchFromTurn(5, { name: "x" });
    expect(texts(await s.getItems())).toEqual(exchangeTexts(1, 4));
    expect(await branchNamed(s, "x")).toMatchObject({ headTurnNumber: 4, itemCount: 8, forkedFromTurn: 5 });

    await s.switchToBranch(mainId);
    const inclusive = await s.createBranchFromTurn(5, { name: "i", inclusive: true });
    expect(texts(await s.getItems())).toEqual(exchangeTexts(1, 5));
    expect(await branchNamed(s, "i")).toMatchObject({ headTurnNumber: 5, itemCount: 10, forkedFromTurn: 5 });
    await s.addItems([user("q6 on i")]);
    expect((await siblingView(s)).at(-1)).toEqual([6, "q6 on i", 1, 1]);

    await s.switchToBranch(exclusive);
    await s.addItems([user("q5 on x")]);
    expect((await siblingView(s)).at(-1)).toEqual([5, "q5 on x", 2, 2]);
    expect(texts(await s.getItems())).toEqual([...exchangeTexts(1, 4), "q5 on x"]);
    await s.switchToBranch(mainId);
    expect(texts(await s.getItems())).toEqual(exchangeTexts(1, 5));
    expect(exclusive).not.toBe(inclusive);
  });

  it("an exclusive fork of turn 1 is an empty branch: listed, switchable, and its first message is a sibling of turn 1", async () => {
    const { s, mainId } = await fiveTurns("first");
    const id = await s.createBranchFromTurn(1, { name: "fresh" });
    expect(await s.getItems()).toEqual([]);
    expect(await s.getConversationTurns()).toEqual([]);
    expect(await branchNamed(s, "fresh")).toMatchObject({ id, headTurnNumber: 0, itemCount: 0, isCurrent: true, forkedFromTurn: 1 });

    await s.switchToBranch(mainId);
    expect(texts(await s.getItems())).toEqual(exchangeTexts(1, 5));
    await s.switchToBranch(id);
    expect(await s.getCurrentBranchId()).toBe(id);
    expect(await s.getItems()).toEqual([]);

    await s.addItems([user("a different start"), assistant("ok")]);
    expect(await siblingView(s)).toEqual([[1, "a different start", 2, 2]]);
    expect((await siblingView(s, mainId))[0]).toEqual([1, "q1", 1, 2]);
    expect(await branchNamed(s, "fresh")).toMatchObject({ headTurnNumber: 1, itemCount: 2 });
    expect(texts(await s.getItems())).toEqual(["a different start", "ok"]);
  });

  it("refuses a turn that is not on the active branch with turn_not_found, and a non-positive number", async () => {
    const { s } = await fiveTurns("missing");
    const before = await rowCounts(testDb.db);
    await expect(s.createBranchFromTurn(6)).rejects.toMatchObject({ code: "turn_not_found" });
    await expect(s.createBranchFromTurn(99, { inclusive: true })).rejects.toMatchObject({ code: "turn_not_found" });
    await s.createBranchFromTurn(3, { name: "short" });
    // Turn 4 exists on main but not on this branch.
    await expect(s.createBranchFromTurn(4)).rejects.toMatchObject({ code: "turn_not_found" });
    await expect(s.createBranchFromTurn(0)).rejects.toMatchObject({ code: "invalid_argument" });
    expect((await rowCounts(testDb.db)).branches).toBe(before.branches + 1);
  });

  it("refuses a taken name with branch_name_taken and names unnamed branches branch-N", async () => {
    const { s } = await fiveTurns("names");
    await s.createBranchFromTurn(2, { name: "alt" }); // holds turn 1
    const before = await rowCounts(testDb.db);
    await expect(s.createBranchFromTurn(1, { name: "alt" })).rejects.toMatchObject({ code: "branch_name_taken" });
    await expect(s.createBranchFromTurn(1, { name: "main" })).rejects.toMatchObject({ code: "branch_name_taken" });
    expect(await rowCounts(testDb.db)).toEqual(before);
    await s.createBranchFromTurn(1);
    expect((await s.listBranches()).map((b) => b.name)).toEqual(["main", "alt", "branch-3"]);
  });

  it("createBranchFromContent forks at the earliest user turn containing the term", async () => {
    const s = session("content");
    await s.addItems([user("plan a trip"), assistant("where?"), user("Lisbon please"), assistant("ok"), user("lisbon again"), assistant("ok2")]);
    const mainId = await s.getCurrentBranchId();
    const id = await s.createBranchFromContent("LISBON", { name: "by-content" });
    expect(texts(await s.getItems())).toEqual(["plan a trip", "where?"]);
    expect(await branchNamed(s, "by-content")).toMatchObject({ id, forkedFromTurn: 2, headTurnNumber: 1 });
    await s.switchToBranch(mainId);
    await s.createBranchFromContent("lisbon", { inclusive: true, name: "by-content-incl" });
    expect(texts(await s.getItems())).toEqual(["plan a trip", "where?", "Lisbon please", "ok"]);
    await expect(s.createBranchFromContent("Porto")).rejects.toMatchObject({ code: "turn_not_found" });
    // Assistant text is not searched.
    await expect(s.createBranchFromContent("where")).rejects.toMatchObject({ code: "turn_not_found" });
  });
});

describe("forks never copy history", () => {
  it("writes exactly one Branch row and no Turn or Item rows for a 200-turn conversation", async () => {
    const s = session("long");
    await addExchanges(s, 200);
    const before = await rowCounts(testDb.db);
    expect(await testDb.db.turn.count({ where: { conversationId: "long" } })).toBe(200);

    await s.createBranchFromTurn(150);
    const afterExclusive = await rowCounts(testDb.db);
    expect(afterExclusive).toEqual({ ...before, branches: before.branches + 1 });
    expect(await s.getItems()).toHaveLength(298);

    await s.createBranchFromTurn(100, { inclusive: true });
    expect(await rowCounts(testDb.db)).toEqual({ ...before, branches: before.branches + 2 });
    expect(texts(await s.getItems(2))).toEqual(["q100", "a100"]);

    await s.createBranchFromTurn(1);
    expect(await rowCounts(testDb.db)).toEqual({ ...before, branches: before.branches + 3 });
  });
});

describe("the active branch lives in the database", () => {
  it("a new instance for the same conversation sees a branch switched by another instance", async () => {
    const writer = session("shared-state");
    await addExchanges(writer, 3);
    const mainId = await writer.getCurrentBranchId();
    const reader = session("shared-state");
    expect(await reader.getCurrentBranchId()).toBe(mainId);

    const id = await writer.createBranchFromTurn(2);
    expect(await reader.getCurrentBranchId()).toBe(id);
    expect(await session("shared-state").getCurrentBranchId()).toBe(id);
    expect(texts(await session("shared-state").getItems())).toEqual(exchangeTexts(1, 1));

    await reader.switchToBranch(mainId);
    expect(await writer.getCurrentBranchId()).toBe(mainId);
    expect(texts(await writer.getItems())).toEqual(exchangeTexts(1, 3));
    await writer.addItems([user("q4")]);
    expect(texts(await reader.getItems(1))).toEqual(["q4"]);
  });

  it("switchToBranch refuses an unknown branch or one of another conversation", async () => {
    const a = session("switch-a");
    const b = session("switch-b");
    await addExchanges(a, 1);
    await addExchanges(b, 1);
    await expect(a.switchToBranch("nope")).rejects.toMatchObject({ code: "branch_not_found" });
    await expect(a.switchToBranch(await b.getCurrentBranchId())).rejects.toMatchObject({ code: "branch_not_found" });
  });
});

describe("popItem on a branch leaves main intact", () => {
  it("copy-on-write when the popped turn is shared with main", async () => {
    const s = session("pop-shared");
    await addExchanges(s, 2);
    const mainId = await s.getCurrentBranchId();
    await s.createBranchFromTurn(2, { inclusive: true, name: "b" });
    const before = await rowCounts(testDb.db);

    expect(texts([(await s.popItem())!])).toEqual(["a2"]);
    expect(texts(await s.getItems())).toEqual(["q1", "a1", "q2"]);
    expect(texts(await s.getItems(undefined))).toEqual(["q1", "a1", "q2"]);
    // The branch got its own copy of turn 2 (one turn, one item); main's rows are untouched.
    expect(await rowCounts(testDb.db)).toEqual({ ...before, turns: before.turns + 1, items: before.items + 1 });
    expect(texts(await getBranchItems(s, mainId))).toEqual(exchangeTexts(1, 2));

    expect(texts([(await s.popItem())!])).toEqual(["q2"]);
    expect(texts(await s.getItems())).toEqual(["q1", "a1"]);
    expect(await rowCounts(testDb.db)).toEqual(before);
    expect(texts([(await s.popItem())!])).toEqual(["a1"]);
    expect(texts([(await s.popItem())!])).toEqual(["q1"]);
    expect(await s.popItem()).toBeUndefined();
    expect(await s.getItems()).toEqual([]);
    expect(await branchNamed(s, "b")).toMatchObject({ headTurnNumber: 0, itemCount: 0 });
    expect(await rowCounts(testDb.db)).toEqual(before);

    await s.switchToBranch(mainId);
    expect(texts(await s.getItems())).toEqual(exchangeTexts(1, 2));
    expect(await siblingView(s)).toEqual([
      [1, "q1", 1, 1],
      [2, "q2", 1, 1],
    ]);
  });

  it("pops the branch's own turn in place", async () => {
    const s = session("pop-own");
    await addExchanges(s, 2);
    const mainId = await s.getCurrentBranchId();
    await s.createBranchFromTurn(2, { name: "b" });
    await s.addItems([user("q2b"), assistant("a2b")]);
    const before = await rowCounts(testDb.db);

    expect(texts([(await s.popItem())!])).toEqual(["a2b"]);
    expect(await rowCounts(testDb.db)).toEqual({ ...before, items: before.items - 1 });
    expect(texts([(await s.popItem())!])).toEqual(["q2b"]);
    expect(await rowCounts(testDb.db)).toEqual({ ...before, turns: before.turns - 1, items: before.items - 2 });
    expect(texts(await s.getItems())).toEqual(["q1", "a1"]);
    expect(texts(await getBranchItems(s, mainId))).toEqual(exchangeTexts(1, 2));
  });

  it("popping on main leaves a branch that shares the turn intact", async () => {
    const s = session("pop-main");
    await addExchanges(s, 2);
    const mainId = await s.getCurrentBranchId();
    const branchId = await s.createBranchFromTurn(2, { inclusive: true });
    await s.switchToBranch(mainId);
    expect(texts([(await s.popItem())!])).toEqual(["a2"]);
    expect(texts([(await s.popItem())!])).toEqual(["q2"]);
    expect(texts(await s.getItems())).toEqual(["q1", "a1"]);
    expect(texts(await getBranchItems(s, branchId))).toEqual(exchangeTexts(1, 2));
  });

  it("adding items without a user message to a shared head leaves the other branch unchanged", async () => {
    const s = session("append-shared");
    await addExchanges(s, 2);
    const mainId = await s.getCurrentBranchId();
    await s.createBranchFromTurn(2, { inclusive: true });
    await s.addItems([assistant("a2 continued")]);
    expect(texts(await s.getItems())).toEqual([...exchangeTexts(1, 2), "a2 continued"]);
    expect(texts(await getBranchItems(s, mainId))).toEqual(exchangeTexts(1, 2));
    // Main keeps its turn 2; the branch's turn 2 is its own copy.
    const [mainTurns, branchTurns] = [await s.getConversationTurns(mainId), await s.getConversationTurns()];
    expect(branchTurns.map((t) => t.turn)).toEqual([1, 2]);
    expect(branchTurns[0]?.turnId).toBe(mainTurns[0]?.turnId);
    expect(branchTurns[1]?.turnId).not.toBe(mainTurns[1]?.turnId);
  });
});

async function getBranchItems(s: PrismaSession, branchId: string) {
  return (await s.getPathItems(branchId)).flatMap((entry) => (entry.item ? [entry.item] : []));
}

describe("deleteBranch and renameBranch", () => {
  it("keeps turns other branches reach and removes turns only the deleted branch reached", async () => {
    const s = session("delete");
    await addExchanges(s, 3);
    const mainId = await s.getCurrentBranchId();
    const branchId = await s.createBranchFromTurn(3, { inclusive: true, name: "doomed" });
    await addExchanges(s, 2, { from: 4, tag: "b" });
    const kept = await s.createBranchFromTurn(5, { name: "keeper" }); // holds main 1..3 + doomed's turn 4
    const ownTurns = (await s.getConversationTurns(branchId)).slice(3).map((t) => t.turnId);
    expect(ownTurns).toHaveLength(2);
    await s.switchToBranch(mainId);
    const before = await rowCounts(testDb.db);

    await s.deleteBranch(branchId);
    // Turn 5b is gone (1 turn, 2 items); turn 4b survives because "keeper" reaches it.
    expect(await rowCounts(testDb.db)).toEqual({ ...before, branches: before.branches - 1, turns: before.turns - 1, items: before.items - 2 });
    expect(await testDb.db.turn.findUnique({ where: { id: ownTurns[1]! } })).toBeNull();
    expect(await testDb.db.turn.findUnique({ where: { id: ownTurns[0]! } })).not.toBeNull();
    expect(texts(await getBranchItems(s, kept))).toEqual([...exchangeTexts(1, 3), "q4b", "a4b"]);
    expect(texts(await s.getItems())).toEqual(exchangeTexts(1, 3));
    expect((await s.listBranches()).map((b) => b.name)).toEqual(["main", "keeper"]);

    await s.deleteBranch(kept);
    expect(await testDb.db.turn.findUnique({ where: { id: ownTurns[0]! } })).toBeNull();
    expect(await testDb.db.turn.count({ where: { conversationId: "delete" } })).toBe(3);
    expect(texts(await s.getItems())).toEqual(exchangeTexts(1, 3));
  });

  it("deletes the turns it removes but keeps their usage in the ledger, as deleted-branch spend", async () => {
    const s = session("delete-usage");
    await addExchanges(s, 1);
    const branchId = await s.createBranchFromTurn(1, { inclusive: true });
    await addExchanges(s, 1, { from: 2 });
    await s.storeRunUsage({ requests: 1, inputTokens: 10, cachedInputTokens: 0, outputTokens: 1, reasoningTokens: 0 }, { model: "gpt-4o" });
    expect(await s.getSessionUsage()).toMatchObject({ turns: 1, inputTokens: 10 });
    const mainId = (await s.listBranches()).find((branch) => branch.name === "main")!.id;
    await s.deleteBranch(branchId, { force: true });
    // Money spent stays spent: the conversation's total is unchanged, and says where the spend went.
    expect(await s.getSessionUsage()).toMatchObject({ turns: 1, inputTokens: 10, costMicros: 35 });
    expect(await s.getLedgerParts()).toMatchObject({ overhead: null, deleted: { inputTokens: 10, costMicros: 35 } });
    expect(await s.getSessionUsage(mainId)).toBeNull();
    const [row] = await testDb.db.turnUsage.findMany({ where: { conversationId: "delete-usage" } });
    expect(row).toMatchObject({ turnId: null, inputTokens: 10 });
  });

  it("never deletes main, and deletes the current branch only with force, then main is current", async () => {
    const s = session("delete-rules");
    await addExchanges(s, 2);
    const mainId = await s.getCurrentBranchId();
    await expect(s.deleteBranch(mainId)).rejects.toMatchObject({ code: "cannot_delete_main" });
    await expect(s.deleteBranch(mainId, { force: true })).rejects.toMatchObject({ code: "cannot_delete_main" });

    const current = await s.createBranchFromTurn(2, { name: "current" });
    await s.addItems([user("q2 new")]);
    await expect(s.deleteBranch(current)).rejects.toMatchObject({ code: "branch_is_current" });
    expect(await s.getCurrentBranchId()).toBe(current);
    await s.deleteBranch(current, { force: true });
    expect(await s.getCurrentBranchId()).toBe(mainId);
    expect(await session("delete-rules").getCurrentBranchId()).toBe(mainId);
    expect(texts(await s.getItems())).toEqual(exchangeTexts(1, 2));
    expect(await testDb.db.turn.count({ where: { conversationId: "delete-rules" } })).toBe(2);

    await expect(s.deleteBranch("no-such-branch")).rejects.toMatchObject({ code: "branch_not_found" });
    await expect(s.deleteBranch(current)).rejects.toMatchObject({ code: "branch_not_found" });
  });

  it("renames, refusing a taken name, an unknown branch and renaming main", async () => {
    const s = session("rename");
    await addExchanges(s, 2);
    const mainId = await s.getCurrentBranchId();
    const a = await s.createBranchFromTurn(1, { name: "a" });
    await s.switchToBranch(mainId);
    const b = await s.createBranchFromTurn(2, { name: "b" });
    await expect(s.renameBranch(b, "a")).rejects.toMatchObject({ code: "branch_name_taken" });
    await expect(s.renameBranch(b, "main")).rejects.toMatchObject({ code: "branch_name_taken" });
    await expect(s.renameBranch("nope", "c")).rejects.toMatchObject({ code: "branch_not_found" });
    await expect(s.renameBranch(mainId, "trunk")).rejects.toMatchObject({ code: "invalid_argument" });
    await s.renameBranch(b, "  better  ");
    await s.renameBranch(a, "a");
    expect((await s.listBranches()).map((branch) => [branch.name, branch.isCurrent])).toEqual([
      ["main", false],
      ["a", false],
      ["better", true],
    ]);
  });
});

describe("forkToNewConversation", () => {
  it("reads the prefix through the original, copies no items, and keeps both sides apart", async () => {
    const original = session("orig");
    await addExchanges(original, 4);
    const forkTurnId = (await original.getConversationTurns())[1]!.turnId;
    const before = await rowCounts(testDb.db);

    const forkId = await original.forkToNewConversation(2);
    expect(await rowCounts(testDb.db)).toEqual({ ...before, conversations: before.conversations + 1, branches: before.branches + 1 });
    const fork = session(forkId);
    expect(texts(await fork.getItems())).toEqual(exchangeTexts(1, 2));
    expect(await testDb.db.conversation.findUniqueOrThrow({ where: { id: forkId } })).toMatchObject({
      forkedFromConversationId: "orig",
      forkedFromTurnId: forkTurnId,
    });
    expect((await fork.listBranches()).map((b) => [b.name, b.headTurnNumber, b.itemCount, b.isCurrent])).toEqual([["main", 2, 4, true]]);

    await fork.addItems([user("q3 fork"), assistant("a3 fork")]);
    expect(texts(await fork.getItems())).toEqual([...exchangeTexts(1, 2), "q3 fork", "a3 fork"]);
    expect(texts(await original.getItems())).toEqual(exchangeTexts(1, 4));
    expect(await siblingView(original)).toEqual([
      [1, "q1", 1, 1],
      [2, "q2", 1, 1],
      [3, "q3", 1, 1],
      [4, "q4", 1, 1],
    ]);
    expect(await siblingView(fork)).toEqual([
      [1, "q1", 1, 1],
      [2, "q2", 1, 1],
      [3, "q3 fork", 1, 1],
    ]);
    expect(await testDb.db.turn.count({ where: { conversationId: "orig" } })).toBe(4);
    expect(await testDb.db.turn.count({ where: { conversationId: forkId } })).toBe(1);
  });

  it("exclusive fork ends before the turn; an unknown turn is turn_not_found", async () => {
    const original = session("orig-excl");
    await addExchanges(original, 3);
    const forkId = await original.forkToNewConversation(2, { inclusive: false });
    expect(texts(await session(forkId).getItems())).toEqual(exchangeTexts(1, 1));
    await expect(original.forkToNewConversation(4)).rejects.toMatchObject({ code: "turn_not_found" });
  });

  it("keeps the fork's history when the original is deleted", async () => {
    const original = session("orig-del");
    await addExchanges(original, 3);
    const forkId = await original.forkToNewConversation(2);
    const fork = session(forkId);
    await fork.addItems([user("q3 fork")]);

    await original.deleteConversation();
    expect(await testDb.db.conversation.findUnique({ where: { id: "orig-del" } })).toBeNull();
    expect(await original.getItems()).toEqual([]);
    expect(texts(await fork.getItems())).toEqual([...exchangeTexts(1, 2), "q3 fork"]);
    expect(await testDb.db.turn.count({ where: { conversationId: forkId } })).toBe(3);
    expect(await testDb.db.turn.count({ where: { conversationId: "orig-del" } })).toBe(0);
  });

  it("keeps the fork's history when the original is cleared", async () => {
    const original = session("orig-clear");
    await addExchanges(original, 3);
    const forkId = await original.forkToNewConversation(3);
    await original.clearSession();
    expect(await original.getItems()).toEqual([]);
    expect(texts(await session(forkId).getItems())).toEqual(exchangeTexts(1, 3));
    await original.addItems([user("new start")]);
    expect(texts(await original.getItems())).toEqual(["new start"]);
    expect(texts(await session(forkId).getItems())).toEqual(exchangeTexts(1, 3));
  });

  it("keeps every fork intact through deleting the original and then one of two forks", async () => {
    const original = session("orig-two");
    await addExchanges(original, 5);
    const early = await original.forkToNewConversation(2);
    const late = await original.forkToNewConversation(4);
    await original.deleteConversation();
    expect(texts(await session(early).getItems())).toEqual(exchangeTexts(1, 2));
    expect(texts(await session(late).getItems())).toEqual(exchangeTexts(1, 4));

    await session(early).deleteConversation();
    expect(texts(await session(late).getItems())).toEqual(exchangeTexts(1, 4));
    await session(late).addItems([user("q5 late")]);
    expect(texts(await session(late).getItems(3))).toEqual(["q4", "a4", "q5 late"]);
  });

  it("keeps a fork of a fork intact when the middle conversation is cleared", async () => {
    const original = session("orig-chain");
    await addExchanges(original, 3);
    const middleId = await original.forkToNewConversation(3);
    const middle = session(middleId);
    await middle.addItems([user("q4 middle"), assistant("a4 middle")]);
    const lastId = await middle.forkToNewConversation(4);
    await middle.clearSession();
    expect(texts(await session(lastId).getItems())).toEqual([...exchangeTexts(1, 3), "q4 middle", "a4 middle"]);
    await original.deleteConversation();
    expect(texts(await session(lastId).getItems())).toEqual([...exchangeTexts(1, 3), "q4 middle", "a4 middle"]);
  });
});
