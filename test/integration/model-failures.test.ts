import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TurnEventName } from "@/lib/api-types";
import { ModelBehaviorError } from "@openai/agents";
import { describeModelError } from "@/lib/agent/model-errors";
import { PrismaSession, userMessage } from "@/lib/session";
import { startHarness, type Harness } from "../support/app-harness";
import type { ParsedEvent } from "../support/sse-client";

// The retry policy for model failures (docs/security.md, "Failure safety"): what is retried, how often, and what a
// person reads when it still fails. It drives the turn runner (lib/agent/run-turn.ts) with the real OpenAI client
// against the fake server. Titles are heuristic here so every request the fake sees belongs to the turn.

const names = (events: ParsedEvent[]) => [...new Set(events.map((event) => event.event))];
const deltas = (events: ParsedEvent[]) => events.filter((event) => event.event === "text.delta").map((event) => String(event.data.delta)).join("");
const failure = (events: ParsedEvent[]) => events.find((event) => event.event === "turn.failed")?.data.error as { code: string; message: string } | undefined;

function harnessFor(env: Record<string, string>, apiMode: "responses" | "chat_completions" = "responses") {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ apiMode, env: { FORKLINE_TITLES: "heuristic", ...env } });
    await import("@/lib/agent/run-turn");
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    h.fake.reset();
  });
  return {
    get h() {
      return h;
    },
    /** Stores a user message as a new turn of a new conversation, runs it, and returns the events it emitted. */
    async turn(message: string): Promise<{ id: string; events: ParsedEvent[] }> {
      const { runTurn } = await import("@/lib/agent/run-turn");
      const session = new PrismaSession({ db: h.testDb.db });
      const userItem = userMessage(message);
      const turn = await session.beginTurn(userItem, { model: "test-model" });
      const events: ParsedEvent[] = [];
      const emit = (event: TurnEventName, data: unknown) => {
        events.push({ event, data: data as Record<string, unknown> });
      };
      await runTurn({ session, turn, userItem, modelId: "test-model", emit });
      return { id: await session.getSessionId(), events };
    },
    async storedTurn(id: string) {
      return h.testDb.db.turn.findFirstOrThrow({ where: { conversationId: id }, include: { items: { orderBy: { position: "asc" } } } });
    },
  };
}

for (const apiMode of ["responses", "chat_completions"] as const) {
  describe(`model failures with retries (FORKLINE_MODEL_MAX_RETRIES=2, ${apiMode})`, () => {
    const t = harnessFor({ FORKLINE_MODEL_MAX_RETRIES: "2" }, apiMode);

    it("retries a 429 after its Retry-After and completes: exactly 2 requests reach the model", async () => {
      const started = Date.now();
      const { id, events } = await t.turn("busy provider [[error-once:429]] [[retry-after:1]] [[reply:made it]]");
      expect(names(events)).toEqual(["turn.started", "text.delta", "turn.completed", "conversation.updated"]);
      expect(deltas(events)).toBe("made it");
      expect(t.h.fake.requests).toHaveLength(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900); // waited for Retry-After: 1
      expect((await t.storedTurn(id)).status).toBe("completed");
    });

    it("retries a 503 and completes: exactly 2 requests", async () => {
      const { id, events } = await t.turn("flaky provider [[error-once:503]] [[reply:second time lucky]]");
      expect(names(events)).toEqual(["turn.started", "text.delta", "turn.completed", "conversation.updated"]);
      expect(t.h.fake.requests).toHaveLength(2);
      const turn = await t.storedTurn(id);
      expect([turn.status, turn.items.map((item) => item.role)]).toEqual(["completed", ["user", "assistant"]]);
    });

    it("gives up on a persistent 500 after 1 + 2 requests with model_unavailable", async () => {
      const { id, events } = await t.turn("down [[error:500]]");
      expect(t.h.fake.requests).toHaveLength(3);
      expect(failure(events)).toEqual({ code: "model_unavailable", message: expect.stringMatching(/HTTP 500/) });
      expect((await t.storedTurn(id)).status).toBe("failed");
    });

    it("does not retry a request the provider rejected (HTTP 400)", async () => {
      const { events } = await t.turn("bad [[error:400]]");
      expect(t.h.fake.requests).toHaveLength(1);
      expect(failure(events)?.code).toBe("model_request_rejected");
    });

    it("does not retry a stream cut after text was shown: keeps the partial text and fails", async () => {
      const { id, events } = await t.turn("[[reply:one two three four five]] [[cut:2]]");
      expect(t.h.fake.requests).toHaveLength(1);
      expect(deltas(events)).toBe("one two");
      expect(failure(events)).toEqual({ code: "model_stream_broken", message: expect.stringMatching(/broke/) });
      const turn = await t.storedTurn(id);
      expect(turn.status).toBe("failed");
      expect(JSON.parse(turn.items[1]!.content).content[0].text).toBe("one two");
    });

    it("retries a stream cut before any output (nothing was shown), then fails without partial text", async () => {
      // [[cut:0]] cuts every attempt right after the response started.
      const { id, events } = await t.turn("[[reply:whole answer]] [[cut:0]]");
      expect(t.h.fake.requests).toHaveLength(3);
      expect(deltas(events)).toBe("");
      expect(failure(events)?.code).toBe("model_stream_broken");
      const turn = await t.storedTurn(id);
      expect([turn.status, turn.items.length]).toEqual(["failed", 1]);
    });
  });
}

describe("model failures without retries (FORKLINE_MODEL_MAX_RETRIES=0)", () => {
  const t = harnessFor({ FORKLINE_MODEL_MAX_RETRIES: "0" });

  it("fails a 429 at once with model_rate_limited and a message that says to wait", async () => {
    const { id, events } = await t.turn("busy provider [[error-once:429]] [[retry-after:20]]");
    expect(t.h.fake.requests).toHaveLength(1);
    const error = failure(events)!;
    expect(error.code).toBe("model_rate_limited");
    expect(error.message).toMatch(/wait/i);
    expect(error.message).toMatch(/20 seconds/);
    const turn = await t.storedTurn(id);
    expect([turn.status, turn.errorCode, turn.items.map((item) => item.role)]).toEqual(["failed", "model_rate_limited", ["user"]]);
  });

  it("fails a 503 at once with model_unavailable", async () => {
    const { events } = await t.turn("flaky [[error-once:503]]");
    expect(t.h.fake.requests).toHaveLength(1);
    expect(failure(events)).toEqual({ code: "model_unavailable", message: expect.stringMatching(/retry/i) });
  });
});

describe("model timeouts", () => {
  const t = harnessFor({ FORKLINE_MODEL_MAX_RETRIES: "1", FORKLINE_MODEL_TIMEOUT_MS: "1000" });

  it("retries a request that got no answer in time, then fails with model_timeout", async () => {
    const { id, events } = await t.turn("slow [[first-delay:3000]]");
    expect(t.h.fake.requests).toHaveLength(2);
    expect(failure(events)).toEqual({ code: "model_timeout", message: expect.stringMatching(/too long/) });
    expect((await t.storedTurn(id)).status).toBe("failed");
  });

  it("fails a stream that stalls after it started, keeping what was shown", async () => {
    const { id, events } = await t.turn("[[reply:first second third fourth]] [[delay:3000]]");
    expect(t.h.fake.requests).toHaveLength(1);
    expect(failure(events)?.code).toBe("model_timeout");
    const turn = await t.storedTurn(id);
    expect(turn.status).toBe("failed");
    const shown = deltas(events);
    expect(shown).toBe("first"); // the first word came at once, then the stream went silent
    expect(JSON.parse(turn.items[1]!.content).content[0].text).toBe(shown);
  });
});

for (const apiMode of ["responses", "chat_completions"] as const) {
  describe(`a model calling a tool that does not exist (${apiMode})`, () => {
    const t = harnessFor({ FORKLINE_MODEL_MAX_RETRIES: "0" }, apiMode);

    it("fails with model_unknown_tool and a message naming the tool", async () => {
      const { id, events } = await t.turn("use it [[tool:delete_everything:{}]]");
      expect(failure(events)).toEqual({ code: "model_unknown_tool", message: 'The model called a tool that does not exist: "delete_everything".' });
      const turn = await t.storedTurn(id);
      expect([turn.status, turn.errorCode]).toEqual(["failed", "model_unknown_tool"]);
      expect(turn.errorMessage).toContain('"delete_everything"');
    });
  });
}

describe("the unknown tool's name in the message", () => {
  it("is stripped of control and bidi characters, quotes are neutralised, and it is capped at 64 characters", () => {
    const hostile = describeModelError(new ModelBehaviorError('Tool evil\u202e\u0000"\nname not found in agent Forkline.'));
    expect(hostile).toEqual({ code: "model_unknown_tool", message: "The model called a tool that does not exist: \"evil ' name\"." });
    const long = describeModelError(new ModelBehaviorError(`Tool ${"x".repeat(500)} not found in agent Forkline.`)).message;
    expect(long).toContain(`"${"x".repeat(64)}…"`);
    expect(long.length).toBeLessThan(130);
    expect(describeModelError(new ModelBehaviorError("Invalid JSON provided")).code).toBe("model_bad_response");
  });
});

describe("a failure before the model is called", () => {
  const t = harnessFor({});

  it("ends the turn failed and stops its heartbeat when reading the history throws", async () => {
    const { runTurn } = await import("@/lib/agent/run-turn");
    const { runningTurns } = await import("@/lib/agent/running-turns");
    const session = new PrismaSession({ db: t.h.testDb.db });
    const userItem = userMessage("hello");
    const turn = await session.beginTurn(userItem, { model: "test-model" });
    const broken = Object.create(session) as PrismaSession;
    broken.historyBefore = () => Promise.reject(new Error("stored content cannot be decrypted"));
    const events: ParsedEvent[] = [];
    const before = runningTurns.size;
    await runTurn({ session: broken, turn, userItem, modelId: "test-model", emit: (event, data) => events.push({ event, data: data as Record<string, unknown> }) });
    expect(names(events)).toEqual(["turn.started", "turn.failed"]);
    expect(runningTurns.size).toBe(before);
    const row = await t.h.testDb.db.turn.findUniqueOrThrow({ where: { id: turn.turnId } });
    expect(row.status).toBe("failed");
    expect(row.heartbeatAt).toBeNull();
    expect(t.h.fake.requests).toHaveLength(0);
    // The branch takes a new turn at once (before the fix it answered 409 until a restart).
    await expect(session.beginTurn(userMessage("again"), { model: "test-model" })).resolves.toHaveProperty("turnId");
  });
});
