import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness";
import { readEvents, type ParsedEvent } from "../support/sse-client";

type Routes = {
  conversations: typeof import("@/app/api/conversations/route");
  conversation: typeof import("@/app/api/conversations/[id]/route");
  turns: typeof import("@/app/api/conversations/[id]/turns/route");
  stop: typeof import("@/app/api/conversations/[id]/turns/[turnId]/stop/route");
  regenerate: typeof import("@/app/api/conversations/[id]/regenerate/route");
  usage: typeof import("@/app/api/conversations/[id]/usage/route");
};

async function loadRoutes(): Promise<Routes> {
  return {
    conversations: await import("@/app/api/conversations/route"),
    conversation: await import("@/app/api/conversations/[id]/route"),
    turns: await import("@/app/api/conversations/[id]/turns/route"),
    stop: await import("@/app/api/conversations/[id]/turns/[turnId]/stop/route"),
    regenerate: await import("@/app/api/conversations/[id]/regenerate/route"),
    usage: await import("@/app/api/conversations/[id]/usage/route"),
  };
}

const names = (events: ParsedEvent[]) => events.map((event) => event.event);
const deltas = (events: ParsedEvent[]) => events.filter((event) => event.event === "text.delta").map((event) => String(event.data.delta)).join("");

for (const apiMode of ["responses", "chat_completions"] as const) {
  describe(`POST /api/conversations/:id/turns (${apiMode})`, () => {
    let h: Harness;
    let routes: Routes;

    beforeAll(async () => {
      h = await startHarness({ apiMode });
      routes = await loadRoutes();
    });
    afterAll(async () => {
      await h.close();
    });

    async function newConversation(): Promise<string> {
      const response = await h.call(routes.conversations.POST, { body: {} });
      expect(response.status).toBe(201);
      return ((await response.json()) as { conversation: { id: string } }).conversation.id;
    }

    const postTurn = (id: string, body: unknown, signal?: AbortSignal) => h.call(routes.turns.POST, { params: { id }, body, signal });

    it("streams started → deltas → completed and stores the turn, items and exact usage", async () => {
      const id = await newConversation();
      const response = await postTurn(id, { message: "Hello there [[reply:Hi, nice to meet you!]] [[usage:in=1000,cached=400,out=200,reasoning=50]]" });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/event-stream");
      const events = await readEvents(response);
      const sequence = names(events).filter((name, index, all) => name !== "text.delta" || all[index - 1] !== "text.delta");
      expect(sequence).toEqual(["turn.started", "text.delta", "turn.completed", "conversation.updated"]);
      expect(deltas(events)).toBe("Hi, nice to meet you!");
      const completed = events.find((event) => event.event === "turn.completed")!.data;
      // test-model: $2 input, $0.5 cached, $8 output per 1M → 600×2 + 400×0.5 + 200×8 = 3000 micro-dollars
      expect(completed.costMicros).toBe(3000);
      expect(completed.usage).toMatchObject({ requests: 1, inputTokens: 1000, cachedInputTokens: 400, outputTokens: 200, reasoningTokens: 50, estimated: false });

      const turns = await h.testDb.db.turn.findMany({ where: { conversationId: id }, include: { items: { orderBy: { position: "asc" } }, usage: true } });
      expect(turns).toHaveLength(1);
      expect(turns[0]!.status).toBe("completed");
      expect(turns[0]!.model).toBe("test-model");
      expect(turns[0]!.items.map((item) => [item.role, item.type])).toEqual([["user", "message"], ["assistant", "message"]]);
      expect(JSON.parse(turns[0]!.items[1]!.content).content[0].text).toBe("Hi, nice to meet you!");
      const purposes = turns[0]!.usage.map((row) => [row.purpose, row.costMicros, row.inputPricePerMillion, row.outputPricePerMillion]).sort();
      // The title call carries the same scripted usage and counts toward the conversation.
      expect(purposes).toEqual([["title", 3000, 2_000_000, 8_000_000], ["turn", 3000, 2_000_000, 8_000_000]]);
      const usage = await (await h.call(routes.usage.GET, { method: "GET", params: { id } })).json();
      expect(usage.total).toMatchObject({ costMicros: 6000, inputTokens: 2000, requests: 2 });
      const conversation = await h.testDb.db.conversation.findUniqueOrThrow({ where: { id } });
      // The fake answers the title call with the scripted reply too.
      expect(conversation.title).toBe("Hi, nice to meet you!");
    });

    it("stores the user's message before the model is called, and keeps it when the model fails (HTTP 500)", async () => {
      const id = await newConversation();
      const events = await readEvents(await postTurn(id, { message: "break please [[error:500]]" }));
      expect(names(events)).toEqual(["turn.started", "turn.failed"]);
      expect(events[1]!.data.error).toMatchObject({ code: "model_unavailable" });
      const turn = await h.testDb.db.turn.findFirstOrThrow({ where: { conversationId: id }, include: { items: true } });
      expect(turn.status).toBe("failed");
      expect(turn.errorCode).toBe("model_unavailable");
      expect(turn.items.map((item) => item.role)).toEqual(["user"]);
      expect(JSON.parse(turn.items[0]!.content)).toMatchObject({ role: "user", content: "break please [[error:500]]" });
    });

    it("keeps the partial text of a cut stream and marks the turn failed", async () => {
      const id = await newConversation();
      const events = await readEvents(await postTurn(id, { message: "[[reply:one two three four five]] [[cut:2]]" }));
      const streamed = deltas(events);
      expect(streamed.split(" ").filter(Boolean)).toEqual(["one", "two"]);
      expect(names(events).at(-1)).toBe("turn.failed");
      expect(events.at(-1)!.data.error).toMatchObject({ code: "model_stream_broken" });
      const turn = await h.testDb.db.turn.findFirstOrThrow({ where: { conversationId: id }, include: { items: { orderBy: { position: "asc" } }, usage: true } });
      expect(turn.status).toBe("failed");
      expect(turn.items).toHaveLength(2);
      expect(JSON.parse(turn.items[1]!.content).content[0].text).toBe(streamed);
      expect(turn.usage).toHaveLength(1);
      expect(turn.usage[0]!.estimated).toBe(true);
    });

    it("stops mid-stream through the stop endpoint, keeping the partial reply and its usage", async () => {
      const id = await newConversation();
      const response = await postTurn(id, { message: "[[reply:alpha beta gamma delta epsilon zeta eta theta]] [[delay:150]]" });
      let turnId = "";
      let stopped: Promise<Response> | undefined;
      const events = await readEvents(response, (event) => {
        if (event.event === "turn.started") turnId = String(event.data.turnId);
        if (event.event === "text.delta" && !stopped) stopped = h.call(routes.stop.POST, { params: { id, turnId } });
        return false;
      });
      expect((await stopped!).status).toBe(200);
      expect(names(events).at(-1)).toBe("turn.stopped");
      const turn = await h.testDb.db.turn.findUniqueOrThrow({ where: { id: turnId }, include: { items: { orderBy: { position: "asc" } }, usage: true } });
      expect(turn.status).toBe("stopped");
      const partial = JSON.parse(turn.items[1]!.content).content[0].text as string;
      expect(partial.length).toBeGreaterThan(0);
      expect("alpha beta gamma delta epsilon zeta eta theta".startsWith(partial)).toBe(true);
      expect(partial).not.toBe("alpha beta gamma delta epsilon zeta eta theta");
      expect(partial).toBe(deltas(events));
      expect(turn.usage[0]).toMatchObject({ estimated: true });
      expect(turn.usage[0]!.outputTokens).toBeGreaterThan(0);
    });

    it("stops when the client closes the stream", async () => {
      const id = await newConversation();
      const controller = new AbortController();
      const response = await postTurn(id, { message: "[[reply:a b c d e f g h i j k l]] [[delay:100]]" }, controller.signal);
      const events = await readEvents(response, (event) => event.event === "text.delta");
      controller.abort();
      const turnId = String(events[0]!.data.turnId);
      await expect.poll(async () => (await h.testDb.db.turn.findUniqueOrThrow({ where: { id: turnId } })).status, { timeout: 5000 }).toBe("stopped");
      const items = await h.testDb.db.item.findMany({ where: { turnId }, orderBy: { position: "asc" } });
      expect(items.map((item) => item.role)).toEqual(["user", "assistant"]);
    });

    it("refuses a second turn on a busy branch with 409 turn_in_progress", async () => {
      const id = await newConversation();
      const first = await postTurn(id, { message: "[[reply:slow reply here]] [[delay:200]]" });
      const second = await postTurn(id, { message: "impatient" });
      expect(second.status).toBe(409);
      expect(await second.json()).toEqual({ error: { code: "turn_in_progress", message: expect.any(String) } });
      await readEvents(first);
      expect(await h.testDb.db.turn.count({ where: { conversationId: id } })).toBe(1);
    });

    it("runs a tool turn and stores call and output in the turn", async () => {
      const id = await newConversation();
      const events = await readEvents(await postTurn(id, { message: 'add them [[tool:calculator:{"expression":"2+3"}]]' }));
      expect(names(events).filter((name) => name !== "text.delta")).toEqual(["turn.started", "tool.called", "tool.output", "turn.completed", "conversation.updated"]);
      expect(events.find((event) => event.event === "tool.called")!.data).toMatchObject({ toolName: "calculator", arguments: '{"expression":"2+3"}' });
      expect(events.find((event) => event.event === "tool.output")!.data).toMatchObject({ output: "5" });
      expect(deltas(events)).toBe("Tool said: 5");
      const turn = await h.testDb.db.turn.findFirstOrThrow({ where: { conversationId: id }, include: { items: { orderBy: { position: "asc" } }, usage: true } });
      expect(turn.items.map((item) => [item.type, item.toolName])).toEqual([
        ["message", null],
        ["function_call", "calculator"],
        ["function_call_result", "calculator"],
        ["message", null],
      ]);
      expect(turn.usage.filter((row) => row.purpose === "turn").map((row) => row.requests)).toEqual([1, 1]);
    });

    it("regenerate makes a sibling answer on a new branch and keeps the old one reachable", async () => {
      const id = await newConversation();
      await readEvents(await postTurn(id, { message: "first question" }));
      await readEvents(await postTurn(id, { message: "second question" }));
      const response = await h.call(routes.regenerate.POST, { params: { id }, body: { turnNumber: 2 } });
      expect(response.status).toBe(200);
      expect(names(await readEvents(response)).at(-1)).toBe("turn.completed");
      const detail = (await (await h.call(routes.conversation.GET, { method: "GET", params: { id } })).json()).conversation;
      expect(detail.branches).toHaveLength(2);
      expect(detail.turns.map((turn: { number: number }) => turn.number)).toEqual([1, 2]);
      expect(detail.turns[1].siblings).toMatchObject({ index: 2, count: 2 });
      expect(detail.turns[1].messages[0]).toEqual({ kind: "user", text: "second question" });
      const other = detail.turns[1].siblings.options[0];
      expect(other.branchId).toBe(detail.branches.find((branch: { name: string }) => branch.name === "main").id);
      expect(await h.testDb.db.turn.count({ where: { conversationId: id } })).toBe(3);
    });

    it("retrying a failed turn creates a sibling, not a duplicate", async () => {
      const id = await newConversation();
      await readEvents(await postTurn(id, { message: "flaky [[error-once:503]]" }));
      const retry = await h.call(routes.regenerate.POST, { params: { id }, body: { turnNumber: 1 } });
      expect(names(await readEvents(retry))).toContain("turn.completed");
      const turns = await h.testDb.db.turn.findMany({ where: { conversationId: id }, orderBy: { id: "asc" } });
      expect(turns.map((turn) => [turn.depth, turn.parentId, turn.status])).toEqual([
        [1, null, "failed"],
        [1, null, "completed"],
      ]);
    });
  });
}

describe("turn request validation", () => {
  let h: Harness;
  let routes: Routes;
  let id: string;

  beforeAll(async () => {
    h = await startHarness({ env: { FORKLINE_MAX_MESSAGE_CHARS: "1000" } });
    routes = await loadRoutes();
    id = ((await (await h.call(routes.conversations.POST, { body: {} })).json()) as { conversation: { id: string } }).conversation.id;
  });
  afterAll(async () => {
    await h.close();
  });

  const cases: [string, { body?: unknown; rawBody?: string }, number, string][] = [
    ["missing message", { body: {} }, 400, "invalid_request"],
    ["empty message", { body: { message: "   " } }, 400, "invalid_request"],
    ["wrong type", { body: { message: 42 } }, 400, "invalid_request"],
    ["unknown field", { body: { message: "hi", extra: true } }, 400, "invalid_request"],
    ["malformed branch id", { body: { message: "hi", branchId: "../../etc" } }, 400, "invalid_request"],
    ["not JSON", { rawBody: "{message:" }, 400, "invalid_json"],
    ["over the message limit", { body: { message: "x".repeat(1001) } }, 400, "invalid_request"],
    ["over the body limit", { rawBody: JSON.stringify({ message: "x".repeat(20_000) }) }, 413, "payload_too_large"],
    ["unknown model", { body: { message: "hi", model: "gpt-nope" } }, 400, "unknown_model"],
    ["unknown branch", { body: { message: "hi", branchId: "nobranch" } }, 404, "branch_not_found"],
  ];

  for (const [label, init, status, code] of cases) {
    it(`answers ${status} ${code} for ${label} and stores nothing`, async () => {
      const before = await h.testDb.db.turn.count();
      const response = await h.call(routes.turns.POST, { params: { id }, ...init });
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
      expect(await h.testDb.db.turn.count()).toBe(before);
    });
  }

  it("answers 404 for a conversation that does not exist", async () => {
    const response = await h.call(routes.turns.POST, { params: { id: "nope" }, body: { message: "hi" } });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});

describe("model timeout", () => {
  let h: Harness;
  let routes: Routes;

  beforeAll(async () => {
    h = await startHarness({ env: { FORKLINE_MODEL_TIMEOUT_MS: "400" } });
    routes = await loadRoutes();
  });
  afterAll(async () => {
    await h.close();
  });

  it("fails the turn with model_timeout and keeps the user's message", async () => {
    const id = ((await (await h.call(routes.conversations.POST, { body: {} })).json()) as { conversation: { id: string } }).conversation.id;
    const events = await readEvents(await h.call(routes.turns.POST, { params: { id }, body: { message: "slow [[first-delay:2000]]" } }));
    expect(events.at(-1)).toMatchObject({ event: "turn.failed", data: { error: { code: "model_timeout" } } });
    const turn = await h.testDb.db.turn.findFirstOrThrow({ where: { conversationId: id }, include: { items: true } });
    expect([turn.status, turn.items.length]).toEqual(["failed", 1]);
  });
});

describe("history sent to the model", () => {
  let h: Harness;
  let routes: Routes;

  beforeAll(async () => {
    h = await startHarness({ env: { FORKLINE_HISTORY_LIMIT: "2" } });
    routes = await loadRoutes();
  });
  afterAll(async () => {
    await h.close();
  });

  it("respects FORKLINE_HISTORY_LIMIT and never starts with a tool output whose call was cut off", async () => {
    const id = ((await (await h.call(routes.conversations.POST, { body: { title: "limited" } })).json()) as { conversation: { id: string } }).conversation.id;
    await readEvents(await h.call(routes.turns.POST, { params: { id }, body: { message: 'sum [[tool:calculator:{"expression":"1+1"}]]' } }));
    // Stored so far: user, function_call, function_call_result, assistant. The last 2 would start with the result.
    h.fake.reset();
    await readEvents(await h.call(routes.turns.POST, { params: { id }, body: { message: "next question" } }));
    const input = h.fake.requests[0]!.body.input as { type?: string; role?: string }[];
    expect(input.map((item) => item.type ?? "message")).toEqual(["message", "message"]);
    expect(input.map((item) => item.role)).toEqual(["assistant", "user"]);
  });
});
