import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness";
import { readEvents } from "../support/sse-client";

let h: Harness;
let routes: {
  conversations: typeof import("@/app/api/conversations/route");
  conversation: typeof import("@/app/api/conversations/[id]/route");
  turns: typeof import("@/app/api/conversations/[id]/turns/route");
  branches: typeof import("@/app/api/conversations/[id]/branches/route");
  branch: typeof import("@/app/api/conversations/[id]/branches/[branchId]/route");
  fork: typeof import("@/app/api/conversations/[id]/fork/route");
  usage: typeof import("@/app/api/conversations/[id]/usage/route");
  reprice: typeof import("@/app/api/conversations/[id]/usage/reprice/route");
  review: typeof import("@/app/api/usage/route");
  exportUsage: typeof import("@/app/api/usage/export/route");
};

beforeAll(async () => {
  h = await startHarness();
  routes = {
    conversations: await import("@/app/api/conversations/route"),
    conversation: await import("@/app/api/conversations/[id]/route"),
    turns: await import("@/app/api/conversations/[id]/turns/route"),
    branches: await import("@/app/api/conversations/[id]/branches/route"),
    branch: await import("@/app/api/conversations/[id]/branches/[branchId]/route"),
    fork: await import("@/app/api/conversations/[id]/fork/route"),
    usage: await import("@/app/api/conversations/[id]/usage/route"),
    reprice: await import("@/app/api/conversations/[id]/usage/reprice/route"),
    review: await import("@/app/api/usage/route"),
    exportUsage: await import("@/app/api/usage/export/route"),
  };
});
afterAll(async () => {
  await h.close();
});

const json = async (response: Response) => (await response.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const today = () => new Date().toISOString().slice(0, 10);

async function create(title?: string): Promise<string> {
  return (await json(await h.call(routes.conversations.POST, { body: title ? { title } : {} }))).conversation.id;
}

async function turn(id: string, message: string, extra: object = {}) {
  const events = await readEvents(await h.call(routes.turns.POST, { params: { id }, body: { message, ...extra } }));
  expect(events.map((event) => event.event)).toContain("turn.completed");
  return events;
}

const review = async () => json(await h.call(routes.review.GET, { method: "GET", path: `/api/usage?from=${today()}&to=${today()}` }));
const usageOf = async (id: string) => json(await h.call(routes.usage.GET, { method: "GET", params: { id } }));
const listed = async (id: string) =>
  (await json(await h.call(routes.conversations.GET, { method: "GET", path: "/api/conversations" }))).conversations.find((c: { id: string }) => c.id === id);

// test-model: $2 in, $8 out per 1M (test/support/test-prices.json) = 2 and 8 micro-dollars per token.
describe("a mixed priced / unpriced conversation", () => {
  it("shows the known part and the unpriced count in the list, the conversation report and the range review", async () => {
    const id = await create("mixed");
    await turn(id, "priced [[usage:in=1000,out=100]]");
    await turn(id, "local [[usage:in=50,out=5]]", { model: "unpriced-model" });

    expect(await listed(id)).toMatchObject({ costMicros: 2800, unpricedCalls: 1, unpricedModels: ["unpriced-model"] });
    expect((await usageOf(id)).total).toMatchObject({ costMicros: 2800, unpricedCalls: 1, unpricedModels: ["unpriced-model"] });
    const range = await review();
    // One unpriced call neither blanks the range total nor removes the day.
    expect(range.total.costMicros).toBeGreaterThanOrEqual(2800);
    expect(range.total.unpricedCalls).toBeGreaterThanOrEqual(1);
    expect(range.days).toEqual([{ date: today(), usage: expect.objectContaining({ costMicros: range.total.costMicros, unpricedCalls: range.total.unpricedCalls }) }]);
    expect(range.conversations.find((c: { id: string }) => c.id === id).usage).toMatchObject({ costMicros: 2800, unpricedCalls: 1 });
  });
});

describe("deleting never rewrites past spend", () => {
  it("a deleted conversation's calls stay in the range total, as a 'deleted conversations' line", async () => {
    const id = await create("to delete");
    await turn(id, "spend [[usage:in=45,out=0]]");
    const before = await review();
    expect((await h.call(routes.conversation.DELETE, { method: "DELETE", params: { id } })).status).toBe(204);
    const after = await review();
    expect(after.total).toEqual(before.total);
    expect(after.days).toEqual(before.days);
    expect(after.conversations.map((c: { id: string }) => c.id)).not.toContain(id);
    expect(after.deletedConversations.costMicros - (before.deletedConversations?.costMicros ?? 0)).toBe(90);
  });

  it("a deleted branch's calls stay in the conversation total, as a 'deleted branches' line", async () => {
    const id = await create("branch delete");
    await turn(id, "t1 [[usage:in=100,out=0]]");
    const fork = (await json(await h.call(routes.branches.POST, { params: { id }, body: { fromTurn: 1, inclusive: true, name: "side" } }))).branch;
    await turn(id, "t2 [[usage:in=0,out=10]]", { branchId: fork.id });
    const before = await usageOf(id);
    expect(before.total.costMicros).toBe(280);
    const mainId = before.branches.find((b: { name: string }) => b.name === "main").branchId;
    await h.call(routes.branch.PATCH, { method: "PATCH", params: { id, branchId: mainId }, body: { active: true } });
    const deleted = await h.call(routes.branch.DELETE, { method: "DELETE", params: { id, branchId: fork.id } });
    expect([deleted.status, deleted.status === 204 ? null : await deleted.text()]).toEqual([204, null]);
    const after = await usageOf(id);
    expect(after.total).toEqual(before.total);
    expect(after.deletedBranches).toMatchObject({ costMicros: 80, outputTokens: 10 });
    expect(after.branches.map((b: { name: string }) => b.name)).toEqual(["main"]);
    expect((await listed(id)).costMicros).toBe(280);
  });
});

describe("each call where it belongs", () => {
  it("the title call is conversation overhead: its own line, not part of turn 1, not inherited by a fork", async () => {
    const id = await create();
    await turn(id, "hello [[usage:in=100,out=10]]");
    const report = await usageOf(id);
    const [first] = report.turns;
    expect(first.usage).toMatchObject({ inputTokens: 100, outputTokens: 10, costMicros: 280 });
    expect(first.calls.map((call: { label: string; overhead: boolean }) => [call.label, call.overhead])).toEqual([
      ["answer", false],
      ["title (conversation overhead)", true],
    ]);
    const title = first.calls[1].usage;
    expect(title.inputTokens).toBeGreaterThan(0);
    expect(report.overhead).toMatchObject({ inputTokens: title.inputTokens, costMicros: title.costMicros });
    expect(report.total.costMicros).toBe(280 + title.costMicros);

    const fork = (await json(await h.call(routes.branches.POST, { params: { id }, body: { fromTurn: 1, inclusive: true, name: "fork" } }))).branch;
    const forked = (await usageOf(id)).branches.find((b: { branchId: string }) => b.branchId === fork.id);
    expect(forked.inherited).toMatchObject({ inputTokens: 100, costMicros: 280 });
  });
});

describe("re-pricing and export", () => {
  it("re-prices stored token counts on another model, and refuses no model with a 400", async () => {
    const id = await create("reprice");
    await turn(id, "t [[usage:in=1000,out=100]]");
    // test-model-cheap: see test/support/test-prices.json
    const cheap = await json(await h.call(routes.reprice.GET, { method: "GET", params: { id }, path: `/api/conversations/${id}/usage/reprice?model=test-model-cheap` }));
    expect(cheap).toMatchObject({ model: "test-model-cheap", branchId: null, actual: { costMicros: 2800 } });
    expect(cheap.repricedMicros).toEqual(expect.any(Number));
    expect(cheap.repricedMicros).toBeLessThan(2800);
    const unpriced = await json(await h.call(routes.reprice.GET, { method: "GET", params: { id }, path: `/api/conversations/${id}/usage/reprice?model=unpriced-model` }));
    expect(unpriced.repricedMicros).toBeNull();
    const bad = await h.call(routes.reprice.GET, { method: "GET", params: { id }, path: `/api/conversations/${id}/usage/reprice` });
    expect(bad.status).toBe(400);
  });

  it("exports the range per call as CSV with unpriced costs blank, and per conversation as JSON", async () => {
    const id = await create("export me");
    await turn(id, "t [[usage:in=10,out=0]]", { model: "unpriced-model" });
    const response = await h.call(routes.exportUsage.GET, { method: "GET", path: `/api/usage/export?format=csv&group=call&from=${today()}&to=${today()}` });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="forkline-usage-call-/);
    const lines = (await response.text()).trim().split("\n");
    expect(lines[0]).toMatch(/^time,conversation_id,conversation_title,conversation_deleted,turn_id,/);
    const mine = lines.filter((line) => line.includes(id));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toContain(",unpriced-model,1,10,0,0,0,,,");

    const table = await json(await h.call(routes.exportUsage.GET, { method: "GET", path: `/api/usage/export?format=json&group=conversation&from=${today()}&to=${today()}` }));
    expect(table.rows.find((row: { conversation_id: string }) => row.conversation_id === id)).toMatchObject({
      known_cost_micros: 0,
      unpriced_calls: 1,
      unpriced_models: "unpriced-model",
      conversation_deleted: false,
    });
    expect((await h.call(routes.exportUsage.GET, { method: "GET", path: "/api/usage/export?format=xml" })).status).toBe(400);
  });
});

describe("a conversation budget and forks", () => {
  it("a fork keeps its original's budget, so forking does not get around a used-up one", async () => {
    const id = await create("capped");
    await turn(id, "spend [[usage:in=100,out=0]]");
    expect((await h.call(routes.conversation.PATCH, { method: "PATCH", params: { id }, body: { budgetMicros: 150 } })).status).toBe(200);
    const forked = await json(await h.call(routes.fork.POST, { params: { id }, body: { turnNumber: 1, inclusive: true } }));
    const forkId = forked.conversation.id;
    expect((await json(await h.call(routes.conversation.GET, { method: "GET", params: { id: forkId } }))).conversation.budgetMicros).toBe(150);
  });
});
