import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteAccountData, transferConversations } from "@/lib/db/account";
import { conversationLedgerCosts, knownSpendSince, ledgerRowsInRange } from "@/lib/db/ledger";
import { PrismaSession, type UsageCounts } from "@/lib/session";
import { addTotals, rowTotals, subtractSums, sumsToTotals, ZERO_SUMS } from "@/lib/usage/totals";
import { createTestDb, type TestDb } from "../../support/test-db";
import { addExchanges } from "./helpers";

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.dispose();
});

const counts = (input: number, output: number): UsageCounts => ({ requests: 1, inputTokens: input, cachedInputTokens: 0, outputTokens: output, reasoningTokens: 0 });
/** gpt-4o: 2.5 µ$ per input token, 10 per output token. */
const gpt4o = (input: number, output: number) => input * 2.5 + output * 10;
const DAY = 24 * 60 * 60 * 1000;
const range = () => ({ from: new Date(Date.now() - DAY), to: new Date(Date.now() + DAY) });

async function userWithSpend(userId: string, conversationId: string): Promise<PrismaSession> {
  const s = new PrismaSession({ sessionId: conversationId, userId, db: testDb.db });
  await addExchanges(s, 1);
  await s.storeRunUsage(counts(100, 10), { model: "gpt-4o" });
  await s.storeRunUsage(counts(50, 5), { model: "llama3.2" });
  return s;
}

describe("usage algebra", () => {
  it("keeps the known part and counts unpriced calls instead of blanking a sum", () => {
    const priced = rowTotals({ ...counts(100, 10), costMicros: 350, model: "gpt-4o", estimated: false });
    const unpriced = rowTotals({ ...counts(50, 5), requests: 3, costMicros: null, model: "llama3.2", estimated: false });
    const noModel = rowTotals({ ...counts(1, 1), costMicros: null, model: null, estimated: true });
    const sum = addTotals(addTotals(priced, unpriced), noModel);
    expect(sum).toMatchObject({ costMicros: 350, unpricedCalls: 4, unpricedModels: ["llama3.2", "unknown"], requests: 5, inputTokens: 151, estimated: true });
  });

  it("subtracts what a branch inherited from its path, naming only its own unpriced models", () => {
    const path = { ...ZERO_SUMS, rows: 3, turns: 3, requests: 3, inputTokens: 300, costMicros: 900, unpricedCalls: 2, unpricedModels: ["a", "b"] };
    const inherited = { ...ZERO_SUMS, rows: 2, turns: 2, requests: 2, inputTokens: 200, costMicros: 600, unpricedCalls: 1, unpricedModels: ["a"] };
    expect(sumsToTotals(subtractSums(path, inherited, ["b"]))).toMatchObject({ turns: 1, inputTokens: 100, costMicros: 300, unpricedCalls: 1, unpricedModels: ["b"] });
    expect(subtractSums(inherited, inherited, ["a"]).unpricedModels).toEqual([]);
  });
});

describe("the ledger outlives what it paid for", () => {
  it("deleting a conversation keeps its calls: the user's spend over the range does not move", async () => {
    const s = await userWithSpend("ledger-user", "ledger-deleted");
    await userWithSpend("ledger-user", "ledger-kept");
    const before = await knownSpendSince({ db: testDb.db, userIds: ["ledger-user"], since: range().from });
    expect(before).toBe(2 * gpt4o(100, 10));

    await s.deleteConversation();
    expect(await knownSpendSince({ db: testDb.db, userIds: ["ledger-user"], since: range().from })).toBe(before);
    const rows = await ledgerRowsInRange({ db: testDb.db, userId: "ledger-user", ...range() });
    expect(rows.map((row) => [row.conversationId, row.conversationExists, row.turnId === null, row.model, row.costMicros])).toEqual([
      ["ledger-deleted", false, true, "gpt-4o", gpt4o(100, 10)],
      ["ledger-deleted", false, true, "llama3.2", null],
      ["ledger-kept", true, false, "gpt-4o", gpt4o(100, 10)],
      ["ledger-kept", true, false, "llama3.2", null],
    ]);
  });

  it("lists a conversation's cost as the known part plus its unpriced calls and their models", async () => {
    await userWithSpend("costs-user", "costs-mixed");
    const costs = await conversationLedgerCosts(testDb.db, ["costs-mixed", "costs-none"]);
    expect(costs.get("costs-mixed")).toEqual({ costMicros: gpt4o(100, 10), unpricedCalls: 1, unpricedModels: ["llama3.2"] });
    expect(costs.get("costs-none")).toEqual({ costMicros: 0, unpricedCalls: 0, unpricedModels: [] });
  });

  it("records who paid and the price entry used", async () => {
    await userWithSpend("payer", "payer-conversation");
    const [row] = await testDb.db.turnUsage.findMany({ where: { conversationId: "payer-conversation", model: "gpt-4o" } });
    expect(row).toMatchObject({ userId: "payer", scope: "turn", priceFrom: "2024-10-01" });
  });

  it("a guest's ledger moves with their conversations to the account, and deleting the account deletes it", async () => {
    await userWithSpend("guest-1", "guest-conversation");
    await testDb.db.user.create({ data: { id: "account-1", name: "A", email: "a@example.test" } });
    expect(await transferConversations({ db: testDb.db, fromUserId: "guest-1", toUserId: "account-1" })).toBe(1);
    expect(await testDb.db.turnUsage.count({ where: { userId: "guest-1" } })).toBe(0);
    expect(await testDb.db.turnUsage.count({ where: { userId: "account-1" } })).toBe(2);

    await new PrismaSession({ sessionId: "guest-conversation", userId: "account-1", db: testDb.db }).deleteConversation();
    expect(await testDb.db.turnUsage.count({ where: { userId: "account-1" } })).toBe(2);
    await deleteAccountData({ db: testDb.db, userId: "account-1" });
    expect(await testDb.db.turnUsage.count({ where: { userId: "account-1" } })).toBe(0);
  });
});

describe("forks and the ledger", () => {
  it("deleting the original keeps its spend its own: the fork's totals, overhead and call lines do not change", async () => {
    const original = new PrismaSession({ sessionId: "fork-origin", userId: "forker", db: testDb.db });
    await addExchanges(original, 2);
    const [first] = await original.getConversationTurns();
    await original.storeRunUsage(counts(100, 10), { model: "gpt-4o", turnId: first!.turnId });
    await original.storeRunUsage(counts(30, 10), { model: "gpt-4o", turnId: first!.turnId, purpose: "title" });
    const forkId = await original.forkToNewConversation(1, { inclusive: true });
    const fork = new PrismaSession({ sessionId: forkId, userId: "forker", db: testDb.db });
    await addExchanges(fork, 1, { from: 2, tag: "f" });
    await fork.storeRunUsage(counts(20, 2), { model: "gpt-4o" });

    const snapshot = async () => ({
      total: await fork.getSessionUsage(),
      parts: await fork.getLedgerParts(),
      calls: (await fork.getTurnUsage()).map((row) => [row.turn, row.calls.map((call) => [call.purpose, call.usage.inputTokens])]),
    });
    const before = await snapshot();
    expect(before.total).toMatchObject({ inputTokens: 20, costMicros: gpt4o(20, 2) });
    expect(before.parts).toEqual({ overhead: null, deleted: null });
    // The original's title call is not one of the fork's calls.
    expect(before.calls).toEqual([
      [1, [["turn", 100]]],
      [2, [["turn", 20]]],
    ]);

    await original.deleteConversation();
    expect(await snapshot()).toEqual(before);
    const rows = await ledgerRowsInRange({ db: testDb.db, userId: "forker", ...range() });
    expect(rows.filter((row) => row.conversationId === "fork-origin").map((row) => [row.purpose, row.conversationExists])).toEqual([
      ["turn", false],
      ["title", false],
    ]);
  });
});
