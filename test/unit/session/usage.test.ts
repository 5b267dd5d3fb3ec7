import { Usage } from "@openai/agents";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { PrismaSession, type UsageCounts } from "@/lib/session";
import { createTestDb, type TestDb } from "../../support/test-db";
import { assistant, user } from "../../support/items";
import { addExchanges } from "./helpers";

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.dispose();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const session = (sessionId: string) => new PrismaSession({ sessionId, db: testDb.db });

/** requests 1, `input` in (none cached), `output` out. */
const counts = (input: number, output: number, extra: Partial<UsageCounts> = {}): UsageCounts => ({
  requests: 1,
  inputTokens: input,
  cachedInputTokens: 0,
  outputTokens: output,
  reasoningTokens: 0,
  ...extra,
});

/** gpt-4o: $2.50 in, $10 out per 1M tokens = 2.5 and 10 micro-dollars per token. */
const gpt4oCost = (input: number, output: number) => input * 2.5 + output * 10;

/** A plain totals object with every field, for exact comparisons. */
const totals = (t: {
  requests: number;
  input: number;
  output: number;
  cached?: number;
  reasoning?: number;
  cost: number;
  unpriced?: { calls: number; models: string[] };
  savings?: number;
  turns: number;
  estimated?: boolean;
}) => ({
  requests: t.requests,
  inputTokens: t.input,
  cachedInputTokens: t.cached ?? 0,
  outputTokens: t.output,
  reasoningTokens: t.reasoning ?? 0,
  totalTokens: t.input + t.output,
  costMicros: t.cost,
  unpricedCalls: t.unpriced?.calls ?? 0,
  unpricedModels: t.unpriced?.models ?? [],
  cacheSavingsMicros: t.savings ?? 0,
  estimated: t.estimated ?? false,
  turns: t.turns,
});

const sdkUsage = () =>
  new Usage({
    requests: 1,
    inputTokens: 1000,
    outputTokens: 200,
    totalTokens: 1200,
    inputTokensDetails: [{ cached_tokens: 400 }],
    outputTokensDetails: [{ reasoning_tokens: 50 }],
  });

describe("storeRunUsage", () => {
  it("stores an SDK Usage with the model and the price snapshot, cost in micro-dollars", async () => {
    const s = session("sdk-usage");
    await addExchanges(s, 1);
    await s.storeRunUsage(sdkUsage(), { model: "gpt-4o" });
    const rows = await testDb.db.turnUsage.findMany({ where: { turn: { conversationId: "sdk-usage" } } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      purpose: "turn",
      model: "gpt-4o",
      requests: 1,
      inputTokens: 1000,
      cachedInputTokens: 400,
      outputTokens: 200,
      reasoningTokens: 50,
      estimated: false,
      inputPricePerMillion: 2_500_000,
      cachedPricePerMillion: 1_250_000,
      outputPricePerMillion: 10_000_000,
      // 600 × 2.5 + 400 × 1.25 + 200 × 10
      costMicros: 4000,
    });
    expect(await s.getSessionUsage()).toEqual(totals({ requests: 1, input: 1000, cached: 400, output: 200, reasoning: 50, cost: 4000, savings: 500, turns: 1 }));
  });

  it("accepts a run result shaped { state: { usage } }", async () => {
    const s = session("result-usage");
    await addExchanges(s, 1);
    await s.storeRunUsage({ state: { usage: sdkUsage() } }, { model: "gpt-4o" });
    expect(await s.getSessionUsage()).toEqual(totals({ requests: 1, input: 1000, cached: 400, output: 200, reasoning: 50, cost: 4000, savings: 500, turns: 1 }));
  });

  it("adds: two calls on one turn sum, as two priced rows", async () => {
    const s = session("adds");
    await addExchanges(s, 1);
    await s.storeRunUsage(sdkUsage(), { model: "gpt-4o" });
    await s.storeRunUsage(counts(100, 10), { model: "gpt-4o-mini" });
    // gpt-4o-mini: $0.15 in, $0.60 out → 100 × 0.15 + 10 × 0.6 = 21 micro-dollars
    expect(await s.getSessionUsage()).toEqual(totals({ requests: 2, input: 1100, cached: 400, output: 210, reasoning: 50, cost: 4021, savings: 500, turns: 1 }));
    const [row] = await s.getTurnUsage();
    expect(row).toMatchObject({ turn: 1, models: ["gpt-4o", "gpt-4o-mini"], requests: 2, inputTokens: 1100, outputTokens: 210, totalTokens: 1310, costMicros: 4021 });
    expect(await testDb.db.turnUsage.count({ where: { turn: { conversationId: "adds" } } })).toBe(2);
  });

  it("charges the active branch's head by default, or the turn given; falls back to the turn's model", async () => {
    const s = session("which-turn");
    await addExchanges(s, 2);
    const [first, second] = await s.getConversationTurns();
    await s.storeRunUsage(counts(10, 1), { model: "gpt-4o" });
    await s.storeRunUsage(counts(20, 2), { model: "gpt-4o", turnId: first!.turnId });
    expect((await s.getTurnUsage()).map((r) => [r.turn, r.turnId, r.inputTokens])).toEqual([
      [1, first!.turnId, 20],
      [2, second!.turnId, 10],
    ]);

    const started = await s.beginTurn("q3", { model: "gpt-4o" });
    await s.storeRunUsage(counts(100, 10));
    await s.storeRunUsage(counts(2, 2), { turnId: started.turnId, purpose: "title" });
    // The title call is the conversation's overhead: listed among the turn's calls, not part of the turn's total.
    const [row] = await s.getTurnUsage(3);
    expect(row).toMatchObject({
      turn: 3,
      turnId: started.turnId,
      kind: "turn",
      models: ["gpt-4o"],
      requests: 1,
      inputTokens: 100,
      outputTokens: 10,
      totalTokens: 110,
      costMicros: gpt4oCost(100, 10),
    });
    expect(row!.calls.map((call) => [call.purpose, call.overhead, call.usage.inputTokens, call.usage.costMicros])).toEqual([
      ["turn", false, 100, gpt4oCost(100, 10)],
      ["title", true, 2, gpt4oCost(2, 2)],
    ]);
    expect(await s.getSessionUsage(await s.getCurrentBranchId())).toMatchObject({ inputTokens: 10 + 20 + 100 });
    expect(await s.getSessionUsage()).toMatchObject({ inputTokens: 10 + 20 + 100 + 2 });
    expect(await s.getLedgerParts()).toMatchObject({ overhead: { requests: 1, inputTokens: 2, costMicros: gpt4oCost(2, 2) }, deleted: null });
  });

  it("records tokens for an unknown model as an unpriced call: the row's cost is null, totals are the known part plus the unpriced count", async () => {
    const s = session("unknown-model");
    await addExchanges(s, 2);
    await s.storeRunUsage(counts(100, 10), { model: "mystery-model-9000" });
    const [row] = await testDb.db.turnUsage.findMany({ where: { turn: { conversationId: "unknown-model" } } });
    expect(row).toMatchObject({ model: "mystery-model-9000", inputTokens: 100, costMicros: null, inputPricePerMillion: null, outputPricePerMillion: null });
    const mystery = { calls: 1, models: ["mystery-model-9000"] };
    expect(await s.getSessionUsage()).toEqual(totals({ requests: 1, input: 100, output: 10, cost: 0, unpriced: mystery, turns: 1 }));

    // An unpriced call never blanks a sum: the priced part stays known, along the path and per turn.
    const [first] = await s.getConversationTurns();
    await s.storeRunUsage(counts(1000, 100), { model: "gpt-4o", turnId: first!.turnId });
    expect(await s.getSessionUsage()).toEqual(totals({ requests: 2, input: 1100, output: 110, cost: gpt4oCost(1000, 100), unpriced: mystery, turns: 2 }));
    expect(await s.getSessionUsage(await s.getCurrentBranchId())).toMatchObject({ costMicros: gpt4oCost(1000, 100), unpricedCalls: 1, inputTokens: 1100 });
    expect((await s.getTurnUsage()).map((r) => [r.turn, r.costMicros, r.unpricedCalls])).toEqual([
      [1, gpt4oCost(1000, 100), 0],
      [2, 0, 1],
    ]);
    // A call that named no model is unpriced too, and named "unknown".
    await s.storeRunUsage(counts(5, 5), { turnId: first!.turnId });
    expect((await s.getTurnUsage(1))[0]).toMatchObject({ costMicros: gpt4oCost(1000, 100), unpricedCalls: 1, unpricedModels: ["unknown"] });
    expect(await s.getSessionUsage()).toMatchObject({ unpricedCalls: 2, unpricedModels: ["mystery-model-9000", "unknown"] });
  });

  it("marks estimated usage", async () => {
    const s = session("estimated");
    await addExchanges(s, 1);
    await s.storeRunUsage(counts(10, 10), { model: "gpt-4o" });
    expect((await s.getSessionUsage())?.estimated).toBe(false);
    await s.storeRunUsage(counts(10, 10), { model: "gpt-4o", estimated: true });
    expect(await s.getSessionUsage()).toEqual(totals({ requests: 2, input: 20, output: 20, cost: gpt4oCost(20, 20), turns: 1, estimated: true }));
  });

  it("never throws, and stores nothing for garbage, empty usage or no turn", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const s = session("garbage");
    const before = await testDb.db.turnUsage.count();
    // No conversation and no turn yet.
    await expect(s.storeRunUsage(sdkUsage(), { model: "gpt-4o" })).resolves.toBeUndefined();
    await addExchanges(s, 1);
    const garbage: unknown[] = [
      null,
      undefined,
      "lots of tokens",
      42,
      { state: null },
      { state: { usage: null } },
      { requests: "many", inputTokens: {}, outputTokens: [] },
      { requests: 1, inputTokens: "x", cachedInputTokens: "y", outputTokens: 1, reasoningTokens: 0 },
      new Usage(),
    ];
    for (const value of garbage) {
      await expect(s.storeRunUsage(value as never, { model: "gpt-4o" })).resolves.toBeUndefined();
    }
    await expect(s.storeRunUsage(counts(1, 1), { model: "gpt-4o", turnId: "no-such-turn" })).resolves.toBeUndefined();
    expect(await testDb.db.turnUsage.count()).toBe(before);
    expect(await s.getSessionUsage()).toBeNull();
    expect(logged).toHaveBeenCalled();
  });
});

describe("usage across branches", () => {
  /** main: turns 1..3 with 100/200/300 input tokens; branch b = inclusive fork at 2 plus its own turn 3 with 1000. */
  async function forkedConversation(id: string) {
    const s = session(id);
    const mainId = await s.getCurrentBranchId();
    for (const [n, input] of [[1, 100], [2, 200], [3, 300]] as const) {
      await s.addItems([user(`q${n}`), assistant(`a${n}`)]);
      await s.storeRunUsage(counts(input, 10), { model: "gpt-4o" });
    }
    const branchId = await s.createBranchFromTurn(2, { inclusive: true, name: "b" });
    await s.addItems([user("q3b"), assistant("a3b")]);
    await s.storeRunUsage(counts(1000, 10), { model: "gpt-4o" });
    return { s, mainId, branchId };
  }

  it("the whole conversation counts every turn once, even turns two branches share", async () => {
    const { s, mainId, branchId } = await forkedConversation("whole");
    expect(await s.getSessionUsage()).toEqual(totals({ requests: 4, input: 1600, output: 40, cost: gpt4oCost(1600, 40), turns: 4 }));
    expect(await s.getSessionUsage(mainId)).toEqual(totals({ requests: 3, input: 600, output: 30, cost: gpt4oCost(600, 30), turns: 3 }));
    expect(await s.getSessionUsage(branchId)).toEqual(totals({ requests: 3, input: 1300, output: 30, cost: gpt4oCost(1300, 30), turns: 3 }));
    await expect(s.getSessionUsage("no-such-branch")).rejects.toMatchObject({ code: "branch_not_found" });
  });

  it("splits a branch's usage into inherited (up to the fork point) and own", async () => {
    const { s, mainId, branchId } = await forkedConversation("split");
    expect(await s.getBranchUsage(branchId)).toEqual({
      branchId,
      inherited: totals({ requests: 2, input: 300, output: 20, cost: gpt4oCost(300, 20), turns: 2 }),
      own: totals({ requests: 1, input: 1000, output: 10, cost: gpt4oCost(1000, 10), turns: 1 }),
      total: totals({ requests: 3, input: 1300, output: 30, cost: gpt4oCost(1300, 30), turns: 3 }),
    });
    expect(await s.getBranchUsage(mainId)).toEqual({
      branchId: mainId,
      inherited: null,
      own: totals({ requests: 3, input: 600, output: 30, cost: gpt4oCost(600, 30), turns: 3 }),
      total: totals({ requests: 3, input: 600, output: 30, cost: gpt4oCost(600, 30), turns: 3 }),
    });
    // The active branch by default.
    expect((await s.getBranchUsage()).branchId).toBe(branchId);
  });

  it("a branch with nothing of its own yet has own = null", async () => {
    const { s, mainId } = await forkedConversation("nothing-own");
    await s.switchToBranch(mainId);
    const fresh = await s.createBranchFromTurn(3);
    expect(await s.getBranchUsage(fresh)).toEqual({
      branchId: fresh,
      inherited: totals({ requests: 2, input: 300, output: 20, cost: gpt4oCost(300, 20), turns: 2 }),
      own: null,
      total: totals({ requests: 2, input: 300, output: 20, cost: gpt4oCost(300, 20), turns: 2 }),
    });
  });

  it("gives exact inherited and own numbers along a 3-level fork chain", async () => {
    const s = session("chain");
    const mainId = await s.getCurrentBranchId();
    const turn = async (label: string, input: number) => {
      await s.addItems([user(label), assistant(`re ${label}`)]);
      await s.storeRunUsage(counts(input, input / 10), { model: "gpt-4o" });
    };
    await turn("m1", 100);
    await turn("m2", 200);
    await turn("m3", 400);
    await turn("m4", 800);
    // A: exclusive fork of main at turn 2 → inherits turn 1, then has its own turns 2..4.
    const a = await s.createBranchFromTurn(2, { name: "A" });
    await turn("a2", 1_000);
    await turn("a3", 2_000);
    await turn("a4", 4_000);
    // B: exclusive fork of A at turn 3 → inherits main's turn 1 and A's turn 2, then its own turn 3.
    const b = await s.createBranchFromTurn(3, { name: "B" });
    await turn("b3", 10_000);
    // C: inclusive fork of B at turn 3 → inherits 1, A's 2, B's 3; then its own 4.
    const c = await s.createBranchFromTurn(3, { name: "C", inclusive: true });
    await turn("c4", 20_000);

    const u = (inputs: number[]) => {
      const input = inputs.reduce((x, y) => x + y, 0);
      return totals({ requests: inputs.length, input, output: input / 10, cost: gpt4oCost(input, input / 10), turns: inputs.length });
    };
    expect(await s.getBranchUsage(mainId)).toEqual({ branchId: mainId, inherited: null, own: u([100, 200, 400, 800]), total: u([100, 200, 400, 800]) });
    expect(await s.getBranchUsage(a)).toEqual({ branchId: a, inherited: u([100]), own: u([1_000, 2_000, 4_000]), total: u([100, 1_000, 2_000, 4_000]) });
    expect(await s.getBranchUsage(b)).toEqual({ branchId: b, inherited: u([100, 1_000]), own: u([10_000]), total: u([100, 1_000, 10_000]) });
    expect(await s.getBranchUsage(c)).toEqual({ branchId: c, inherited: u([100, 1_000, 10_000]), own: u([20_000]), total: u([100, 1_000, 10_000, 20_000]) });
    // Spot-check one figure by hand: B inherited 1100 in + 110 out = 2750 + 1100 = 3850 micro-dollars.
    expect((await s.getBranchUsage(b)).inherited?.costMicros).toBe(3850);
    // Whole conversation: every turn once (9 turns).
    expect(await s.getSessionUsage()).toEqual(u([100, 200, 400, 800, 1_000, 2_000, 4_000, 10_000, 20_000]));
    expect(await s.getSessionUsage(c)).toEqual(u([100, 1_000, 10_000, 20_000]));
    expect((await s.getTurnUsage(undefined, c)).map((r) => [r.turn, r.inputTokens])).toEqual([
      [1, 100],
      [2, 1_000],
      [3, 10_000],
      [4, 20_000],
    ]);
  });

  it("keeps inherited and own consistent after popping a shared turn on the branch", async () => {
    const s = session("pop-split");
    await s.addItems([user("q1"), assistant("a1")]);
    await s.storeRunUsage(counts(100, 10), { model: "gpt-4o" });
    await s.addItems([user("q2"), assistant("a2")]);
    await s.storeRunUsage(counts(200, 20), { model: "gpt-4o" });
    const branchId = await s.createBranchFromTurn(2, { inclusive: true });
    await s.popItem(); // the branch now holds its own copy of turn 2 (without a2); usage stays with main's turn 2
    const one = totals({ requests: 1, input: 100, output: 10, cost: gpt4oCost(100, 10), turns: 1 });
    expect(await s.getBranchUsage(branchId)).toEqual({ branchId, inherited: one, own: null, total: one });
    await s.addItems([assistant("a2 again")]);
    await s.storeRunUsage(counts(50, 5), { model: "gpt-4o" });
    expect(await s.getBranchUsage(branchId)).toEqual({
      branchId,
      inherited: one,
      own: totals({ requests: 1, input: 50, output: 5, cost: gpt4oCost(50, 5), turns: 1 }),
      total: totals({ requests: 2, input: 150, output: 15, cost: gpt4oCost(150, 15), turns: 2 }),
    });
    expect(await s.getSessionUsage()).toEqual(totals({ requests: 3, input: 350, output: 35, cost: gpt4oCost(350, 35), turns: 3 }));
  });

  it("getTurnUsage lists rows per turn along a branch, skipping turns without usage", async () => {
    const { s, mainId, branchId } = await forkedConversation("per-turn");
    await s.addItems([user("q4b no usage")]);
    const rows = await s.getTurnUsage(undefined, branchId);
    expect(rows.map((r) => [r.turn, r.inputTokens, r.costMicros, r.models])).toEqual([
      [1, 100, gpt4oCost(100, 10), ["gpt-4o"]],
      [2, 200, gpt4oCost(200, 10), ["gpt-4o"]],
      [3, 1000, gpt4oCost(1000, 10), ["gpt-4o"]],
    ]);
    expect((await s.getTurnUsage(3, mainId)).map((r) => r.inputTokens)).toEqual([300]);
    expect(await s.getTurnUsage(4)).toEqual([]);
    expect(await session("no-conversation").getTurnUsage()).toEqual([]);
    expect(await session("no-conversation").getSessionUsage()).toBeNull();
  });
});

describe("usage of forked conversations", () => {
  it("a forked conversation inherits the original's cost but owns only its new turns", async () => {
    const original = session("usage-orig");
    await original.addItems([user("q1"), assistant("a1")]);
    await original.storeRunUsage(counts(100, 10), { model: "gpt-4o" });
    const forkId = await original.forkToNewConversation(1);
    const fork = session(forkId);
    await fork.addItems([user("q2 fork")]);
    await fork.storeRunUsage(counts(40, 4), { model: "gpt-4o" });
    const mine = totals({ requests: 1, input: 40, output: 4, cost: gpt4oCost(40, 4), turns: 1 });
    const theirs = totals({ requests: 1, input: 100, output: 10, cost: gpt4oCost(100, 10), turns: 1 });
    expect(await fork.getSessionUsage()).toEqual(mine);
    expect(await original.getSessionUsage()).toEqual(theirs);
    const forkMain = await fork.getCurrentBranchId();
    expect(await fork.getBranchUsage(forkMain)).toEqual({
      branchId: forkMain,
      inherited: theirs,
      own: mine,
      total: totals({ requests: 2, input: 140, output: 14, cost: gpt4oCost(140, 14), turns: 2 }),
    });
  });
});

describe("storeRunUsage with compaction", () => {
  it("splits a run's automatic responses.compact calls out as compaction usage on the node, the rest on the turn that ran", async () => {
    const s = session("split-compaction");
    await addExchanges(s, 2);
    const turnTwo = (await s.getConversationTurns()).at(-1)!.turnId;
    await s.replaceHistoryWithCompaction([{ type: "compaction", encrypted_content: "c" } as never]);
    const run = new Usage({
      requests: 2,
      inputTokens: 800,
      outputTokens: 80,
      totalTokens: 880,
      requestUsageEntries: [
        { inputTokens: 300, outputTokens: 30, totalTokens: 330, endpoint: "responses.create" },
        { inputTokens: 500, outputTokens: 50, totalTokens: 550, endpoint: "responses.compact" },
      ],
    });
    await s.storeRunUsage({ state: { usage: run } }, { model: "gpt-4o" });
    const rows = await testDb.db.turnUsage.findMany({ where: { conversationId: "split-compaction" }, orderBy: { id: "asc" } });
    expect(rows.map((row) => [row.turnId === turnTwo ? "turn 2" : "node", row.purpose, row.requests, row.inputTokens, row.outputTokens])).toEqual([
      ["turn 2", "turn", 1, 300, 30],
      ["node", "compaction", 1, 500, 50],
    ]);
    expect(await s.getSessionUsage()).toMatchObject({ requests: 2, inputTokens: 800, outputTokens: 80, turns: 2 });
  });

  it("counts a RequestUsage (what runCompaction returns) as one request", async () => {
    const s = session("request-usage");
    await addExchanges(s, 1);
    const { RequestUsage } = await import("@openai/agents");
    await s.storeRunUsage(new RequestUsage({ inputTokens: 500, outputTokens: 50, totalTokens: 550, endpoint: "responses.compact" }), { purpose: "compaction", model: "gpt-4o" });
    expect(await s.getSessionUsage()).toMatchObject({ requests: 1, inputTokens: 500, outputTokens: 50 });
  });
});
