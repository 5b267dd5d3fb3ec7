import { Agent, run, setDefaultOpenAIClient, setOpenAIAPI, setTracingDisabled, tool, type Session } from "@openai/agents";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { PrismaSession } from "@/lib/session";
import { startFakeOpenAI, type FakeOpenAI } from "../../fake-openai/server";
import { createTestDb, type TestDb } from "../../support/test-db";
import { texts } from "../../support/items";

let testDb: TestDb;
let fake: FakeOpenAI;

beforeAll(async () => {
  [testDb, fake] = await Promise.all([createTestDb(), startFakeOpenAI()]);
  setDefaultOpenAIClient(new OpenAI({ apiKey: "test", baseURL: fake.url, maxRetries: 0 }));
  setTracingDisabled(true);
});
afterAll(async () => {
  setOpenAIAPI("responses");
  await Promise.all([testDb.dispose(), fake.close()]);
});

let counter = 0;
const session = () => new PrismaSession({ sessionId: `sdk-${++counter}`, db: testDb.db });

const agent = new Agent({ name: "assistant", model: "gpt-4o" });

const calls: string[] = [];
const calculator = tool({
  name: "calculator",
  description: "Evaluates a sum like 2+3.",
  parameters: z.object({ expression: z.string() }),
  execute: async ({ expression }) => {
    calls.push(expression);
    return String(expression.split("+").reduce((total, part) => total + Number(part), 0));
  },
});
const toolAgent = new Agent({ name: "calculating assistant", model: "gpt-4o", tools: [calculator] });

function partText(part: unknown): string {
  if (typeof part === "string") return part;
  const loose = part as { text?: unknown };
  return typeof loose?.text === "string" ? loose.text : "";
}

/** `[role, text]` of the messages a model request carried (Responses `input` or Chat Completions `messages`). */
function transcript(body: Record<string, unknown>): [string, string][] {
  const entries = (Array.isArray(body.input) ? body.input : Array.isArray(body.messages) ? body.messages : []) as Record<string, unknown>[];
  return entries
    .filter((entry) => typeof entry.role === "string" && entry.role !== "system")
    .map((entry) => [String(entry.role), typeof entry.content === "string" ? entry.content : Array.isArray(entry.content) ? entry.content.map(partText).join("") : ""]);
}

async function itemRows(conversationId: string) {
  return testDb.db.item.findMany({ where: { turn: { conversationId } }, orderBy: [{ turn: { depth: "asc" } }, { position: "asc" }] });
}

describe.each(["responses", "chat_completions"] as const)("run(agent, input, { session }) with the %s API", (api) => {
  beforeEach(() => {
    setOpenAIAPI(api);
    fake.reset();
    calls.length = 0;
  });

  const endpoint = api === "responses" ? "/v1/responses" : "/v1/chat/completions";

  it("stores each exchange exactly once and sends the history from the session", async () => {
    const s = session();
    const first = await run(agent, "[[reply:Hello one.]] first question", { session: s });
    expect(first.finalOutput).toBe("Hello one.");
    const second = await run(agent, "[[reply:Hello two.]] second question", { session: s });
    expect(second.finalOutput).toBe("Hello two.");

    expect(texts(await s.getItems())).toEqual(["[[reply:Hello one.]] first question", "Hello one.", "[[reply:Hello two.]] second question", "Hello two."]);
    const rows = await itemRows(await s.getSessionId());
    expect(rows.map((row) => [row.role, row.type])).toEqual([
      ["user", "message"],
      ["assistant", "message"],
      ["user", "message"],
      ["assistant", "message"],
    ]);
    expect((await s.getConversationTurns()).map((t) => [t.turn, t.fullContent, t.status])).toEqual([
      [1, "[[reply:Hello one.]] first question", "completed"],
      [2, "[[reply:Hello two.]] second question", "completed"],
    ]);

    expect(fake.requests.map((request) => request.path)).toEqual([endpoint, endpoint]);
    expect(transcript(fake.requests[0]!.body)).toEqual([["user", "[[reply:Hello one.]] first question"]]);
    expect(transcript(fake.requests[1]!.body)).toEqual([
      ["user", "[[reply:Hello one.]] first question"],
      ["assistant", "Hello one."],
      ["user", "[[reply:Hello two.]] second question"],
    ]);
  });

  it("stores a streamed run once, after the stream is consumed", async () => {
    const s = session();
    await run(agent, "[[reply:Before.]] warm up", { session: s });
    const result = await run(agent, "[[reply:Streamed words arrive.]] go", { session: s, stream: true });
    const deltas: string[] = [];
    for await (const chunk of result.toTextStream()) deltas.push(chunk);
    await result.completed;
    expect(deltas.join("")).toBe("Streamed words arrive.");
    expect(texts(await s.getItems())).toEqual(["[[reply:Before.]] warm up", "Before.", "[[reply:Streamed words arrive.]] go", "Streamed words arrive."]);
    expect(await itemRows(await s.getSessionId())).toHaveLength(4);
    expect(transcript(fake.requests[1]!.body).map(([role]) => role)).toEqual(["user", "assistant", "user"]);
  });

  it("stores the tool call and its output in the same turn as the question", async () => {
    const s = session();
    const question = '[[tool:calculator:{"expression":"2+3"}]] [[usage:in=9,out=4]] add them';
    const result = await run(toolAgent, question, { session: s });
    expect(result.finalOutput).toBe("Tool said: 5");
    expect(calls).toEqual(["2+3"]);

    const rows = await itemRows(await s.getSessionId());
    expect(rows.map((row) => [row.position, row.role, row.type, row.toolName])).toEqual([
      [0, "user", "message", null],
      [1, null, "function_call", "calculator"],
      [2, null, "function_call_result", "calculator"],
      [3, "assistant", "message", null],
    ]);
    expect(new Set(rows.map((row) => row.turnId)).size).toBe(1);
    const [call, output] = [JSON.parse(rows[1]!.content), JSON.parse(rows[2]!.content)];
    expect(call).toMatchObject({ type: "function_call", name: "calculator", arguments: '{"expression":"2+3"}' });
    expect(output).toMatchObject({ type: "function_call_result", callId: call.callId });
    expect(await s.getToolUsage()).toEqual([{ toolName: "calculator", count: 1, turn: 1 }]);
    expect((await s.getConversationTurns()).map((t) => t.turn)).toEqual([1]);

    // The run's usage (two model calls) is added to that turn, one ledger line per call, each priced (and rounded) on its own.
    await s.storeRunUsage(result, { model: "gpt-4o" });
    const [turnUsage] = await s.getTurnUsage();
    const perCall = turnUsage!.calls.map((call) => [call.purpose, call.usage.requests, call.usage.costMicros]);
    expect(perCall).toEqual(
      turnUsage!.calls.map((call) => ["turn", 1, Math.round(call.usage.inputTokens * 2.5 + call.usage.outputTokens * 10)]),
    );
    expect(perCall).toHaveLength(2);
    expect(await s.getSessionUsage()).toEqual({
      requests: 2,
      inputTokens: 18,
      cachedInputTokens: 0,
      outputTokens: 8,
      reasoningTokens: 0,
      totalTokens: 26,
      costMicros: turnUsage!.calls.reduce((sum, call) => sum + call.usage.costMicros, 0),
      unpricedCalls: 0,
      unpricedModels: [],
      cacheSavingsMicros: 0,
      estimated: false,
      turns: 1,
    });

    // A follow-up sees the whole tool exchange as history.
    fake.reset();
    await run(toolAgent, "[[reply:Done.]] thanks", { session: s });
    const sent = JSON.stringify(fake.requests[0]!.body);
    expect(sent).toContain(call.callId);
    // Chat Completions carries the call as an assistant message with tool_calls plus a tool message.
    expect(transcript(fake.requests[0]!.body).map(([role]) => role)).toEqual(
      api === "responses" ? ["user", "assistant", "user"] : ["user", "assistant", "tool", "assistant", "user"],
    );
    expect(await itemRows(await s.getSessionId())).toHaveLength(6);
  });

  it("records the SDK's usage from a run result with cached and reasoning tokens", async () => {
    const s = session();
    const result = await run(agent, "[[usage:in=1000,cached=400,out=200,reasoning=50]] [[reply:ok]] price me", { session: s });
    await s.storeRunUsage(result, { model: "gpt-4o" });
    expect(await s.getSessionUsage()).toEqual({
      requests: 1,
      inputTokens: 1000,
      cachedInputTokens: 400,
      outputTokens: 200,
      reasoningTokens: 50,
      totalTokens: 1200,
      costMicros: 4000,
      unpricedCalls: 0,
      unpricedModels: [],
      // 400 cached tokens at $1.25 instead of $2.50 per 1M
      cacheSavingsMicros: 500,
      estimated: false,
      turns: 1,
    });
  });
});

describe.each(["responses", "chat_completions"] as const)("the turn lifecycle around run() with the %s API", (api) => {
  beforeEach(() => {
    setOpenAIAPI(api);
    fake.reset();
  });

  async function begin(s: PrismaSession, text: string) {
    const started = await s.beginTurn(text, { model: "gpt-4o" });
    return { started, bound: s.turnSession(started.turnId) };
  }

  it("stores the user message once and the outputs in the begun turn, streamed or not", async () => {
    const s = session();
    await run(agent, "[[reply:Earlier.]] earlier", { session: s });

    const { started, bound } = await begin(s, "[[reply:Now plain.]] plain");
    await run(agent, "[[reply:Now plain.]] plain", { session: bound });
    expect(await s.finishTurn(started.turnId, "completed")).toBe(true);

    const streamed = await begin(s, "[[reply:Now streamed.]] streamed");
    const result = await run(agent, "[[reply:Now streamed.]] streamed", { session: streamed.bound, stream: true });
    for await (const _event of result) {
      // consume
    }
    await result.completed;
    expect(await s.finishTurn(streamed.started.turnId, "completed")).toBe(true);

    expect(texts(await s.getItems())).toEqual([
      "[[reply:Earlier.]] earlier",
      "Earlier.",
      "[[reply:Now plain.]] plain",
      "Now plain.",
      "[[reply:Now streamed.]] streamed",
      "Now streamed.",
    ]);
    expect(await testDb.db.item.count({ where: { turnId: started.turnId } })).toBe(2);
    expect(await testDb.db.item.count({ where: { turnId: streamed.started.turnId } })).toBe(2);
    // The model saw the earlier exchange and the new question once.
    expect(transcript(fake.requests[2]!.body)).toEqual([
      ["user", "[[reply:Earlier.]] earlier"],
      ["assistant", "Earlier."],
      ["user", "[[reply:Now plain.]] plain"],
      ["assistant", "Now plain."],
      ["user", "[[reply:Now streamed.]] streamed"],
    ]);
  });

  it("keeps only the user message of a failed run, once, streamed or not", async () => {
    const s = session();
    for (const stream of [false, true]) {
      const text = `[[error:500]] fail (stream: ${stream})`;
      const { started, bound } = await begin(s, text);
      expect(await runToEnd(text, bound, stream)).toBeInstanceOf(Error);
      expect(await s.finishTurn(started.turnId, "failed", { code: "model_error", message: "500" })).toBe(true);
      const rows = await testDb.db.item.findMany({ where: { turnId: started.turnId } });
      expect(rows.map((row) => [row.role, JSON.parse(row.content).content])).toEqual([["user", text]]);
    }
    expect((await s.getConversationTurns()).map((t) => [t.turn, t.status])).toEqual([
      [1, "failed"],
      [2, "failed"],
    ]);

    // A plain session: a streamed run saves the input before throwing; a non-streamed run saves nothing.
    const plain = session();
    expect(await runToEnd("[[error:500]] plain", plain, false)).toBeInstanceOf(Error);
    expect(await plain.getItems()).toEqual([]);
    expect(await runToEnd("[[error:500]] plain streamed", plain, true)).toBeInstanceOf(Error);
    expect(texts(await plain.getItems())).toEqual(["[[error:500]] plain streamed"]);
    expect(await itemRows(await plain.getSessionId())).toHaveLength(1);
  });
});

/** Runs to the end (consuming a stream), returning the error it failed with, if any. */
async function runToEnd(input: string, session: Session, stream: boolean): Promise<unknown> {
  try {
    if (!stream) {
      await run(agent, input, { session });
      return undefined;
    }
    const result = await run(agent, input, { session, stream: true });
    for await (const _event of result) {
      // consume
    }
    await result.completed;
    return result.error ?? undefined;
  } catch (error) {
    return error;
  }
}
