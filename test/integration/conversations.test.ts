import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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
  review: typeof import("@/app/api/usage/route");
  models: typeof import("@/app/api/models/route");
  health: typeof import("@/app/api/health/route");
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
    review: await import("@/app/api/usage/route"),
    models: await import("@/app/api/models/route"),
    health: await import("@/app/api/health/route"),
  };
});
afterAll(async () => {
  await h.close();
});

const json = async (response: Response) => (await response.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function create(title?: string): Promise<string> {
  return (await json(await h.call(routes.conversations.POST, { body: title ? { title } : {} }))).conversation.id;
}

async function turn(id: string, message: string, extra: object = {}) {
  const events = await readEvents(await h.call(routes.turns.POST, { params: { id }, body: { message, ...extra } }));
  expect(events.map((event) => event.event)).toContain("turn.completed");
  return events;
}

describe("conversation list", () => {
  it("pages newest first with a cursor and searches titles and message text in every branch", async () => {
    const ids: string[] = [];
    for (let n = 0; n < 33; n += 1) ids.push(await create(`bulk ${n}`));
    const first = await json(await h.call(routes.conversations.GET, { method: "GET", path: "/api/conversations?q=bulk" }));
    expect(first.conversations).toHaveLength(30);
    expect(first.conversations[0].title).toBe("bulk 32");
    const second = await json(await h.call(routes.conversations.GET, { method: "GET", path: `/api/conversations?q=bulk&cursor=${first.nextCursor}` }));
    expect(second.conversations.map((c: { title: string }) => c.title)).toEqual(["bulk 2", "bulk 1", "bulk 0"]);
    expect(second.nextCursor).toBeNull();

    const hidden = await create("plain title");
    await turn(hidden, "first words");
    const side = (await json(await h.call(routes.branches.POST, { params: { id: hidden }, body: { fromTurn: 1 } }))).branch.id;
    await turn(hidden, "zebra_crossing only on a side branch");
    const mainId = (await json(await h.call(routes.branches.GET, { method: "GET", params: { id: hidden } }))).branches.find((b: { name: string }) => b.name === "main").id;
    await h.call(routes.branch.PATCH, { params: { id: hidden, branchId: mainId }, body: { active: true } });
    const found = await json(await h.call(routes.conversations.GET, { method: "GET", path: "/api/conversations?q=ZEBRA_crossing" }));
    expect(found.conversations.map((c: { id: string }) => c.id)).toEqual([hidden]);
    expect(found.conversations[0].matchedBranchId).toBe(side);
    const wildcard = await json(await h.call(routes.conversations.GET, { method: "GET", path: "/api/conversations?q=%25" }));
    expect(wildcard.conversations).toEqual([]);
  });

  it("shows each conversation's total cost and turn count", async () => {
    const id = await create("costly");
    await turn(id, "pay [[usage:in=1000,out=100]]");
    const list = await json(await h.call(routes.conversations.GET, { method: "GET", path: "/api/conversations?q=costly" }));
    // 1000×$2 + 100×$8 per 1M = 2800 micro-dollars; a conversation created with a title gets no title call.
    expect(list.conversations[0]).toMatchObject({ id, costMicros: 2800, turnCount: 1 });
  });
});

describe("conversation detail, rename and delete", () => {
  it("renames, rejects bad titles, deletes, and answers 404 afterwards", async () => {
    const id = await create();
    const renamed = await h.call(routes.conversation.PATCH, { params: { id }, body: { title: "  New name  " } });
    expect((await json(renamed)).conversation.title).toBe("New name");
    const empty = await h.call(routes.conversation.PATCH, { params: { id }, body: { title: "" } });
    expect(empty.status).toBe(400);
    const long = await h.call(routes.conversation.PATCH, { params: { id }, body: { title: "x".repeat(201) } });
    expect(long.status).toBe(400);
    expect((await h.call(routes.conversation.DELETE, { method: "DELETE", params: { id } })).status).toBe(204);
    expect((await h.call(routes.conversation.GET, { method: "GET", params: { id } })).status).toBe(404);
    expect((await h.call(routes.conversation.DELETE, { method: "DELETE", params: { id } })).status).toBe(404);
  });
});

describe("branches over HTTP", () => {
  it("forks, renames, switches and deletes, with the session's rules as status codes", async () => {
    const id = await create();
    await turn(id, "one");
    await turn(id, "two");
    const created = await h.call(routes.branches.POST, { params: { id }, body: { fromTurn: 2, inclusive: true, name: "idea" } });
    expect(created.status).toBe(201);
    const branch = (await json(created)).branch;
    expect(branch).toMatchObject({ name: "idea", headTurnNumber: 2, isCurrent: true, forkedFromTurn: 2 });

    const taken = await h.call(routes.branches.POST, { params: { id }, body: { fromTurn: 1, name: "idea" } });
    expect([taken.status, (await json(taken)).error.code]).toEqual([409, "branch_name_taken"]);
    const missing = await h.call(routes.branches.POST, { params: { id }, body: { fromTurn: 9 } });
    expect([missing.status, (await json(missing)).error.code]).toEqual([404, "turn_not_found"]);

    const list = (await json(await h.call(routes.branches.GET, { method: "GET", params: { id } }))).branches;
    const main = list.find((b: { name: string }) => b.name === "main");
    const renamed = await h.call(routes.branch.PATCH, { params: { id, branchId: branch.id }, body: { name: "better idea" } });
    expect((await json(renamed)).branch.name).toBe("better idea");
    const deleteMain = await h.call(routes.branch.DELETE, { method: "DELETE", params: { id, branchId: main.id } });
    expect([deleteMain.status, (await json(deleteMain)).error.code]).toEqual([409, "cannot_delete_main"]);
    const deleteCurrent = await h.call(routes.branch.DELETE, { method: "DELETE", params: { id, branchId: branch.id } });
    expect([deleteCurrent.status, (await json(deleteCurrent)).error.code]).toEqual([409, "branch_is_current"]);

    expect((await h.call(routes.branch.PATCH, { params: { id, branchId: main.id }, body: { active: true } })).status).toBe(200);
    expect((await json(await h.call(routes.conversation.GET, { method: "GET", params: { id } }))).conversation.activeBranchId).toBe(main.id);
    expect((await h.call(routes.branch.DELETE, { method: "DELETE", params: { id, branchId: branch.id } })).status).toBe(204);
    expect((await json(await h.call(routes.branches.GET, { method: "GET", params: { id } }))).branches).toHaveLength(1);
    const unknown = await h.call(routes.branch.PATCH, { params: { id, branchId: "nope" }, body: { active: true } });
    expect(unknown.status).toBe(404);
    const emptyPatch = await h.call(routes.branch.PATCH, { params: { id, branchId: main.id }, body: {} });
    expect(emptyPatch.status).toBe(400);
  });

  it("forks into a new conversation that reads its history through the original", async () => {
    const id = await create("source");
    await turn(id, "alpha");
    await turn(id, "beta");
    const forked = await h.call(routes.fork.POST, { params: { id }, body: { turnNumber: 1 } });
    expect(forked.status).toBe(201);
    const newId = (await json(forked)).conversation.id;
    const detail = (await json(await h.call(routes.conversation.GET, { method: "GET", params: { id: newId } }))).conversation;
    expect(detail.forkedFrom).toMatchObject({ conversationId: id });
    expect(detail.turns.map((t: { messages: { text: string }[] }) => t.messages[0]!.text)).toEqual(["alpha"]);
    expect(await h.testDb.db.item.count({ where: { turn: { conversationId: newId } } })).toBe(0);
  });
});

describe("usage reports", () => {
  it("splits a branch's cost into inherited and own with exact numbers", async () => {
    const id = await create("usage split");
    await turn(id, "t1 [[usage:in=1000,out=0]]");
    await turn(id, "t2 [[usage:in=0,out=1000]]");
    await json(await h.call(routes.branches.POST, { params: { id }, body: { fromTurn: 2, inclusive: true, name: "more" } }));
    await turn(id, "t3 [[usage:in=500,cached=500,out=0]]");
    const report = await json(await h.call(routes.usage.GET, { method: "GET", params: { id } }));
    // t1 1000×2 = 2000, t2 1000×8 = 8000, t3 500 cached × 0.5 = 250 (titled conversation: no title call)
    expect(report.total.costMicros).toBe(10250);
    const more = report.branches.find((b: { name: string }) => b.name === "more");
    expect(more.inherited.costMicros).toBe(10000);
    expect(more.own.costMicros).toBe(250);
    expect(more.total.costMicros).toBe(10250);
    const main = report.branches.find((b: { name: string }) => b.name === "main");
    expect(main.total.costMicros).toBe(10000);
    expect(main.inherited).toBeNull();
    expect(report.turns.map((t: { turn: number; usage: { costMicros: number } }) => [t.turn, t.usage.costMicros])).toEqual([
      [1, 2000],
      [2, 8000],
      [3, 250],
    ]);
    expect(report.models).toEqual([{ model: "test-model", usage: expect.objectContaining({ costMicros: 10250 }) }]);
  });

  it("reports an unpriced call as such, never as zero and never blanking the known part", async () => {
    const id = await create("unpriced");
    await turn(id, "hi [[usage:in=10,out=10]]", { model: "unpriced-model" });
    const report = await json(await h.call(routes.usage.GET, { method: "GET", params: { id } }));
    expect(report.total).toMatchObject({ inputTokens: 10, outputTokens: 10, costMicros: 0, unpricedCalls: 1, unpricedModels: ["unpriced-model"] });
  });

  it("ranks conversations by spend over a date range, with days and models", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const report = await json(await h.call(routes.review.GET, { method: "GET", path: `/api/usage?from=${today}&to=${today}` }));
    expect(report.days.map((d: { date: string }) => d.date)).toEqual([today]);
    const costs = report.conversations.map((c: { usage: { costMicros: number } }) => c.usage.costMicros) as number[];
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    expect(report.total).toMatchObject({ unpricedCalls: 1, unpricedModels: ["unpriced-model"] });
    expect(report.total.costMicros).toBe(costs.reduce((sum, cost) => sum + cost, 0));
    const bad = await h.call(routes.review.GET, { method: "GET", path: "/api/usage?from=2026-13-01" });
    expect(bad.status).toBe(400);
    const reversed = await h.call(routes.review.GET, { method: "GET", path: "/api/usage?from=2026-02-01&to=2026-01-01" });
    expect(reversed.status).toBe(400);
    const past = await json(await h.call(routes.review.GET, { method: "GET", path: "/api/usage?from=2020-01-01&to=2020-01-31" }));
    expect([past.total, past.conversations]).toEqual([null, []]);
  });
});

describe("service endpoints", () => {
  it("lists the configured models and reports health", async () => {
    const models = await json(await routes.models.GET(new Request("http://localhost/api/models"), { params: Promise.resolve({}) }));
    expect(models).toEqual({
      models: [
        { id: "test-model", label: "test-model", demo: false },
        { id: "test-model-cheap", label: "test-model-cheap", demo: false },
        { id: "unpriced-model", label: "unpriced-model", demo: false },
      ],
      defaultModel: "test-model",
    });
    const health = await routes.health.GET();
    expect(health.status).toBe(200);
    expect(await json(health)).toMatchObject({ status: "ok", database: { status: "ok" }, model: { mode: "compatible", api: "responses" } });
  });
});

describe("long conversations", () => {
  it("loads a 2,000-turn conversation with its usage and siblings", async () => {
    const { PrismaSession } = await import("@/lib/session");
    const id = await create("long one");
    const owner = (await h.testDb.db.conversation.findUniqueOrThrow({ where: { id } })).userId;
    const session = new PrismaSession({ sessionId: id, userId: owner, db: h.testDb.db });
    // Each user message starts a turn, so one addItems call writes a batch of 100 turns.
    for (let batch = 0; batch < 20; batch += 1) {
      await session.addItems(
        Array.from({ length: 100 }, (_, index) => [
          { type: "message", role: "user", content: `question ${batch * 100 + index + 1}` },
          { type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: `answer ${batch * 100 + index + 1}` }] },
        ]).flat() as never,
      );
    }
    const turnIds = (await h.testDb.db.turn.findMany({ where: { conversationId: id }, select: { id: true } })).map((turn) => turn.id);
    await h.testDb.db.turnUsage.createMany({
      data: turnIds.map((turnId) => ({ turnId, conversationId: id, firstOfTurn: true, model: "test-model", requests: 1, inputTokens: 10, outputTokens: 5, costMicros: 60 })),
    });
    const response = await h.call(routes.conversation.GET, { method: "GET", params: { id } });
    expect(response.status).toBe(200);
    const detail = (await json(response)).conversation;
    expect(detail.turns).toHaveLength(50);
    expect(detail.earlierTurns).toBe(1950);
    expect(detail.turns[49]).toMatchObject({ number: 2000, siblings: { index: 1, count: 1 } });
    expect(detail.turns[49].messages.map((m: { text: string }) => m.text)).toEqual(["question 2000", "answer 2000"]);
    const first = (await json(await h.call(routes.conversation.GET, { method: "GET", path: `/api/conversations/${id}?turns=1&before=2`, params: { id } }))).conversation;
    expect(first.earlierTurns).toBe(0);
    expect(first.turns[0]).toMatchObject({ number: 1, usage: { inputTokens: 10, costMicros: 60 } });
    expect(first.turns[0].messages.map((m: { text: string }) => m.text)).toEqual(["question 1", "answer 1"]);
    const usage = await json(await h.call(routes.usage.GET, { method: "GET", params: { id } }));
    expect(usage.turns).toHaveLength(2000);
    expect(usage.total).toMatchObject({ requests: 2000, costMicros: 120_000 });
  }, 120_000);
});

describe("session core over HTTP", () => {
  it("shows a damaged stored item as '1 item could not be read' in its turn instead of failing the conversation", async () => {
    const id = await create("damaged");
    await turn(id, "first question");
    await turn(id, "second question");
    const items = await h.testDb.db.item.findMany({ where: { turn: { conversationId: id }, role: "assistant" }, orderBy: { id: "asc" } });
    await h.testDb.db.item.update({ where: { id: items[0]!.id }, data: { content: "{not json" } });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const response = await h.call(routes.conversation.GET, { method: "GET", params: { id } });
      expect(response.status).toBe(200);
      const detail = (await json(response)).conversation;
      expect(detail.turns.map((t: { unreadableItems: number }) => t.unreadableItems)).toEqual([1, 0]);
      expect(detail.turns[0].messages.map((m: { kind: string }) => m.kind)).toEqual(["user"]);
      await turn(id, "third question");
    } finally {
      warn.mockRestore();
    }
  });

  it("forks the branch named by fromBranchId, not the active one", async () => {
    const id = await create("fork base");
    await turn(id, "one");
    await turn(id, "two");
    const branches = async () => (await json(await h.call(routes.branches.GET, { method: "GET", params: { id } }))).branches as { id: string; name: string }[];
    const mainId = (await branches()).find((b) => b.name === "main")!.id;
    const side = (await json(await h.call(routes.branches.POST, { params: { id }, body: { fromTurn: 1, inclusive: true, name: "side" } }))).branch;
    expect(side.headTurnNumber).toBe(1);
    const fromMain = await h.call(routes.branches.POST, { params: { id }, body: { fromTurn: 2, inclusive: true, fromBranchId: mainId } });
    expect(fromMain.status).toBe(201);
    expect((await json(fromMain)).branch).toMatchObject({ headTurnNumber: 2 });
    const unknown = await h.call(routes.branches.POST, { params: { id }, body: { fromTurn: 1, fromBranchId: "nope" } });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.code).toBe("branch_not_found");
  });
});
