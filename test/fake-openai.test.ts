import {
  Agent,
  MemorySession,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  run,
  setTracingDisabled,
  tool,
  type Model,
} from "@openai/agents";
import OpenAI, { APIConnectionTimeoutError, APIError } from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { encode } from "gpt-tokenizer";
import { z } from "zod";
import { FAKE_COMPACT_USAGE, fakeEncryptedContent } from "./fake-openai/compaction";
import { parseScript, ScriptError } from "./fake-openai/script";
import { startFakeOpenAI, type FakeOpenAI } from "./fake-openai/server";

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  client = new OpenAI({ apiKey: "test", baseURL: fake.url, maxRetries: 0 });
});

afterEach(() => fake.reset());

afterAll(async () => {
  await fake.close();
});

async function collect<T>(stream: AsyncIterable<T>): Promise<{ events: T[]; error?: unknown }> {
  const events: T[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

function responsesDeltas(events: OpenAI.Responses.ResponseStreamEvent[]): string[] {
  return events.flatMap((event) => (event.type === "response.output_text.delta" ? [event.delta] : []));
}

function chatDeltas(chunks: OpenAI.Chat.ChatCompletionChunk[]): string[] {
  return chunks.flatMap((chunk) => {
    const content = chunk.choices[0]?.delta.content;
    return content ? [content] : [];
  });
}

describe("parseScript", () => {
  it("strips markers and keeps defaults when there are none", () => {
    expect(parseScript("  Hello there  ")).toEqual({
      text: "Hello there",
      delayMs: 0,
      firstDelayMs: 0,
      endless: false,
      malformed: false,
      usage: {},
      noUsage: false,
      countTokens: false,
    });
  });

  it("reads every marker", () => {
    const script = parseScript(
      "Hi [[reply:Sure, it's 5! (done)]][[delay:30]][[first-delay:200]][[error-once:503]][[retry-after:2]]" +
        "[[cut:3]][[endless]][[malformed]][[usage:in=100,cached=20,out=50,reasoning=10]][[no-usage]][[count-tokens]]" +
        '[[tool:calculator:{"expression":"2+3"}]][[reasoning:Think first]][[compaction:opaque]][[compact-usage:in=7,out=2]] there',
    );
    expect(script).toEqual({
      text: "Hi  there",
      reply: "Sure, it's 5! (done)",
      delayMs: 30,
      firstDelayMs: 200,
      error: { status: 503, once: true },
      retryAfter: "2",
      cut: 3,
      endless: true,
      malformed: true,
      usage: { input: 100, cached: 20, output: 50, reasoning: 10 },
      noUsage: true,
      countTokens: true,
      tool: { name: "calculator", arguments: '{"expression":"2+3"}' },
      reasoning: "Think first",
      compaction: { encryptedContent: "opaque" },
      compactUsage: { input: 7, output: 2 },
    });
  });

  it("reads a bare [[compaction]] as a compaction with derived content", () => {
    expect(parseScript("[[compaction]] go").compaction).toEqual({});
  });

  it("accepts a usage subset and a plain error", () => {
    const script = parseScript("[[usage:out=7]] [[error:429]]");
    expect(script.usage).toEqual({ output: 7 });
    expect(script.error).toEqual({ status: 429, once: false });
    expect(script.text).toBe("");
  });

  it("leaves bracketed text that is not a marker alone", () => {
    expect(parseScript("see [[Some Page]] and [x]").text).toBe("see [[Some Page]] and [x]");
  });

  it.each([
    "[[delay:soon]]",
    "[[error:200]]",
    "[[usage:tokens=3]]",
    "[[tool:calc:{not json}]]",
    "[[tool]]",
    "[[bogus]]",
    "[[compaction:]]",
    "[[compact-usage:tokens=3]]",
  ])("rejects %s", (text) => {
    expect(() => parseScript(text)).toThrow(ScriptError);
  });
});

describe("Responses API", () => {
  it("streams one word per delta and reports scripted usage", async () => {
    const stream = await client.responses.create({
      model: "gpt-4.1-mini",
      input: [{ role: "user", content: [{ type: "input_text", text: "Hi [[reply:Hello big world!]] [[usage:in=100,cached=20,out=50,reasoning=10]]" }] }],
      stream: true,
    });
    const { events, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(responsesDeltas(events)).toEqual(["Hello", " big", " world!"]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const completed = events.at(-1);
    expect(completed?.type).toBe("response.completed");
    if (completed?.type !== "response.completed") return;
    expect(completed.response.model).toBe("gpt-4.1-mini");
    expect(completed.response.status).toBe("completed");
    expect(completed.response.usage).toEqual({
      input_tokens: 100,
      input_tokens_details: { cached_tokens: 20 },
      output_tokens: 50,
      output_tokens_details: { reasoning_tokens: 10 },
      total_tokens: 150,
    });
  });

  it("passes the SDK's strict stream accumulator, reasoning item included", async () => {
    const stream = client.responses.stream({
      model: "gpt-4.1-mini",
      input: "[[reasoning:Thinking it over]] [[reply:All good.]]",
    });
    const response = await stream.finalResponse();
    expect(response.output_text).toBe("All good.");
    expect(response.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
  });

  it("echoes the user text and counts words by default, without streaming", async () => {
    const response = await client.responses.create({
      model: "gpt-4.1-mini",
      instructions: "Be brief.",
      input: "What is   two plus two? [[delay:5]]",
    });
    expect(response.output_text).toBe("Echo: What is   two plus two?");
    expect(response.usage).toEqual({
      input_tokens: 8,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 6,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 14,
    });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.path).toBe("/v1/responses");
    expect(fake.requests[0]?.body.instructions).toBe("Be brief.");
  });

  it("reports the o200k token count of the instructions and every input item with [[count-tokens]]", async () => {
    const instructions = "Be brief, and answer in plain words.";
    const history = "Tokenization splits unbelievably long words into pieces.";
    const question = "And what about emoji 🎉 or ünïcödé? [[count-tokens]]";
    const response = await client.responses.create({
      model: "gpt-4.1-mini",
      instructions,
      input: [
        { role: "user", content: history },
        { role: "assistant", content: [{ type: "output_text", text: "Echo: pieces" }] },
        { role: "user", content: [{ type: "input_text", text: question }] },
      ] as never,
    });
    const expected = encode([instructions, history, "Echo: pieces", question].join("\n")).length;
    expect(response.usage?.input_tokens).toBe(expected);
    // Not the word count any more: the default would say 20.
    expect(expected).not.toBe([instructions, history, "Echo: pieces", question].join(" ").split(/\s+/).length);
  });

  it("reports null usage with [[no-usage]]", async () => {
    const { events } = await collect(
      await client.responses.create({ model: "m", input: "[[no-usage]] hi", stream: true }),
    );
    const completed = events.at(-1);
    expect(completed?.type === "response.completed" && completed.response.usage).toBeNull();
  });

  it("answers a tool marker with a function call, then with the tool's output", async () => {
    const question = '[[tool:calculator:{"expression":"2+3"}]] [[usage:in=9,out=4]] add them';
    const first = await collect(await client.responses.create({ model: "m", input: question, stream: true }));
    const done = first.events.at(-1);
    if (done?.type !== "response.completed") throw new Error("no completed event");
    expect(responsesDeltas(first.events)).toEqual([]);
    expect(done.response.usage?.total_tokens).toBe(13);
    const call = done.response.output[0];
    if (call?.type !== "function_call") throw new Error("expected a function call");
    expect(call).toMatchObject({ name: "calculator", arguments: '{"expression":"2+3"}', status: "completed" });
    expect(call.call_id).toMatch(/^call_[0-9a-f]{12}$/);
    expect(call.id).toMatch(/^fc_/);

    const second = await collect(
      await client.responses.create({
        model: "m",
        stream: true,
        input: [
          { role: "user", content: question },
          { type: "function_call", call_id: call.call_id, name: call.name, arguments: call.arguments },
          { type: "function_call_output", call_id: call.call_id, output: "5" },
        ],
      }),
    );
    expect(responsesDeltas(second.events).join("")).toBe("Tool said: 5");
    const secondDone = second.events.at(-1);
    expect(secondDone?.type === "response.completed" && secondDone.response.usage?.total_tokens).toBe(13);
  });

  it("fails with the scripted HTTP status and Retry-After", async () => {
    const error = await client.responses.create({ model: "m", input: "[[error:429]] [[retry-after:7]]" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    if (!(error instanceof APIError)) return;
    expect(error.status).toBe(429);
    expect(error.error).toEqual({ message: "Scripted error 429", type: "rate_limit_error", param: null, code: "scripted_error" });
    expect(error.headers?.get("retry-after")).toBe("7");
  });

  it("fails [[error-once]] requests once, so the client's retry succeeds", async () => {
    const retrying = new OpenAI({ apiKey: "test", baseURL: fake.url, maxRetries: 2 });
    const response = await retrying.responses.create({ model: "m", input: "[[error-once:503]] [[retry-after:0]] again" });
    expect(response.output_text).toBe("Echo: again");
    expect(fake.requests).toHaveLength(2);
  });

  it("drops the connection after N deltas with [[cut:N]]", async () => {
    const stream = await client.responses.create({ model: "m", input: "[[reply:one two three four]] [[cut:2]]", stream: true });
    const { events, error } = await collect(stream);
    expect(error).toBeInstanceOf(Error);
    expect(responsesDeltas(events)).toEqual(["one", " two"]);
    expect(events.some((event) => event.type === "response.completed")).toBe(false);
  });

  it("streams the reply's words over and over with [[endless]] until the client aborts, and records the disconnect", async () => {
    fake.reset();
    const controller = new AbortController();
    const stream = await client.responses.create({ model: "m", input: "[[reply:one two]] [[endless]]", stream: true }, { signal: controller.signal });
    const seen: string[] = [];
    // The client ends an aborted stream quietly (or with an abort error); either way no more deltas arrive.
    await (async () => {
      for await (const event of stream) {
        if (event.type === "response.output_text.delta") seen.push(event.delta);
        if (seen.length === 5) controller.abort();
      }
    })().catch(() => undefined);
    expect(seen).toEqual(["one", " two", "one", " two", "one"]);
    await expect.poll(() => fake.requests[0]?.disconnected).toBe(true);
  });

  it("sends a non-JSON event with [[malformed]]", async () => {
    const quiet = new OpenAI({ apiKey: "test", baseURL: fake.url, maxRetries: 0, logLevel: "off" });
    const stream = await quiet.responses.create({ model: "m", input: "[[reply:one two]] [[malformed]]", stream: true });
    const { events, error } = await collect(stream);
    expect(error).toBeInstanceOf(SyntaxError);
    expect(responsesDeltas(events)).toEqual(["one"]);
  });

  it("waits before the headers with [[first-delay]], so client timeouts fire", async () => {
    const impatient = new OpenAI({ apiKey: "test", baseURL: fake.url, maxRetries: 0, timeout: 100 });
    const started = Date.now();
    const error = await impatient.responses.create({ model: "m", input: "[[first-delay:5000]] slow" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("spaces deltas by [[delay]]", async () => {
    const started = Date.now();
    const { events } = await collect(
      await client.responses.create({ model: "m", input: "[[reply:a b c]] [[delay:60]]", stream: true }),
    );
    expect(responsesDeltas(events)).toEqual(["a", " b", " c"]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });
});

describe("Responses compaction", () => {
  const history: OpenAI.Responses.ResponseInputItem[] = [
    { role: "user", content: "First question" },
    { type: "message", role: "assistant", status: "completed", id: "msg_a1", content: [{ type: "output_text", text: "First answer", annotations: [] }] },
    { type: "message", role: "user", content: [{ type: "input_text", text: "Second question" }] },
  ];

  const defaultUsage = {
    input_tokens: FAKE_COMPACT_USAGE.input,
    input_tokens_details: { cached_tokens: FAKE_COMPACT_USAGE.cached },
    output_tokens: FAKE_COMPACT_USAGE.output,
    output_tokens_details: { reasoning_tokens: FAKE_COMPACT_USAGE.reasoning },
    total_tokens: FAKE_COMPACT_USAGE.total,
  };

  it("compacts an input into its user messages and one compaction item, with fixed usage", async () => {
    const compacted = await client.responses.compact({ model: "gpt-4.1", input: history });
    expect(compacted.object).toBe("response.compaction");
    expect(compacted.id).toMatch(/^resp_/);
    expect(compacted.output.map((item) => item.type)).toEqual(["message", "message", "compaction"]);
    const [first, second, compaction] = compacted.output;
    expect(first).toMatchObject({ type: "message", role: "user", status: "completed", content: [{ type: "input_text", text: "First question" }] });
    expect(first?.id).toMatch(/^msg_/);
    expect(second).toEqual({ id: expect.stringMatching(/^msg_/), type: "message", role: "user", status: "completed", content: [{ type: "input_text", text: "Second question" }] });
    expect(compaction).toEqual({ id: expect.stringMatching(/^cmp_/), type: "compaction", encrypted_content: fakeEncryptedContent(history) });
    expect(fakeEncryptedContent(history)).toMatch(/^fake-compaction:3:[0-9a-f]{16}$/);
    expect(compacted.usage).toEqual(defaultUsage);
    expect(FAKE_COMPACT_USAGE).toEqual({ input: 500, cached: 0, output: 50, reasoning: 0, total: 550 });

    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.path).toBe("/v1/responses/compact");
    expect(fake.requests[0]?.body).toEqual({ model: "gpt-4.1", input: history });
  });

  it("gives the same content for the same input and takes usage from [[compact-usage]]", async () => {
    const input = "Summarise me [[compact-usage:in=1200,cached=200,out=80,reasoning=16]]";
    const [a, b] = await Promise.all([client.responses.compact({ model: "gpt-4.1", input }), client.responses.compact({ model: "gpt-4.1", input })]);
    expect(a.output.at(-1)).toMatchObject({ encrypted_content: fakeEncryptedContent(input) });
    expect(b.output.at(-1)).toMatchObject({ encrypted_content: fakeEncryptedContent(input) });
    expect(a.usage).toEqual({
      input_tokens: 1200,
      input_tokens_details: { cached_tokens: 200 },
      output_tokens: 80,
      output_tokens_details: { reasoning_tokens: 16 },
      total_tokens: 1280,
    });
  });

  it("answers a previous_response_id compaction with the compaction item alone", async () => {
    const compacted = await client.responses.compact({ model: "gpt-4.1", previous_response_id: "resp_earlier" });
    expect(compacted.output).toEqual([
      { id: expect.stringMatching(/^cmp_/), type: "compaction", encrypted_content: fakeEncryptedContent({ previous_response_id: "resp_earlier" }) },
    ]);
    expect(compacted.usage).toEqual(defaultUsage);
  });

  it("rejects a bad marker in the compacted input with a 400", async () => {
    const error = await client.responses.compact({ model: "gpt-4.1", input: "[[compact-usage:in=lots]]" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(400);
  });

  it("starts a [[compaction]] reply with a compaction item, without streaming", async () => {
    const input = "[[compaction]] [[reply:Compacted and answered.]] go on";
    const response = await client.responses.create({ model: "gpt-4.1-mini", input });
    expect(response.output.map((item) => item.type)).toEqual(["compaction", "message"]);
    expect(response.output[0]).toEqual({ id: expect.stringMatching(/^cmp_/), type: "compaction", encrypted_content: fakeEncryptedContent(input) });
    expect(response.output_text).toBe("Compacted and answered.");
  });

  it("streams a [[compaction:…]] item before the message and passes the stream accumulator", async () => {
    const stream = client.responses.stream({ model: "gpt-4.1-mini", input: "[[compaction:sealed]] [[reasoning:Hmm]] [[reply:After compaction.]]" });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    stream.on("event", (event) => events.push(event));
    const response = await stream.finalResponse();
    expect(response.output.map((item) => item.type)).toEqual(["compaction", "reasoning", "message"]);
    expect(response.output[0]).toMatchObject({ type: "compaction", encrypted_content: "sealed" });
    expect(response.output_text).toBe("After compaction.");
    const added = events.flatMap((event) => (event.type === "response.output_item.added" ? [[event.output_index, event.item.type]] : []));
    expect(added).toEqual([
      [0, "compaction"],
      [1, "reasoning"],
      [2, "message"],
    ]);
  });
});

describe("Chat Completions API", () => {
  it("streams one word per chunk and a final usage chunk", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "[[reply:Fine, thanks.]] [[usage:in=12,cached=4,out=3,reasoning=1]]" },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    const { events, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(chatDeltas(events)).toEqual(["Fine,", " thanks."]);
    expect(events[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(events.map((chunk) => chunk.choices[0]?.finish_reason ?? null)).toEqual([null, null, "stop", null]);
    const last = events.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.model).toBe("gpt-4o-mini");
    expect(last?.usage).toEqual({
      prompt_tokens: 12,
      completion_tokens: 3,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 4 },
      completion_tokens_details: { reasoning_tokens: 1 },
    });
  });

  it("sends no usage chunk without include_usage or with [[no-usage]]", async () => {
    for (const [content, includeUsage] of [["plain", false], ["[[no-usage]] plain", true]] as const) {
      const { events } = await collect(
        await client.chat.completions.create({
          model: "m",
          messages: [{ role: "user", content }],
          stream: true,
          stream_options: { include_usage: includeUsage },
        }),
      );
      expect(chatDeltas(events)).toEqual(["Echo:", " plain"]);
      expect(events.some((chunk) => chunk.usage)).toBe(false);
    }
  });

  it("returns a chat.completion with default usage when not streaming", async () => {
    const completion = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: [{ type: "text", text: "count these four words" }] }],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]?.message.content).toBe("Echo: count these four words");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toEqual({
      prompt_tokens: 4,
      completion_tokens: 5,
      total_tokens: 9,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });

  it("passes the SDK's chat stream accumulator", async () => {
    const stream = client.chat.completions.stream({
      model: "m",
      messages: [{ role: "user", content: "[[reply:Accumulated text.]]" }],
      stream_options: { include_usage: true },
    });
    const completion = await stream.finalChatCompletion();
    expect(completion.choices[0]?.message.content).toBe("Accumulated text.");
    expect(completion.usage?.total_tokens).toBe(4);
  });

  it("answers a tool marker with a tool call, then with the tool's output", async () => {
    const question = '[[tool:calculator:{"expression":"2+3"}]] add';
    const first = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: question }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const { events } = await collect(first);
    const call = events[0]?.choices[0]?.delta.tool_calls?.[0];
    expect(call).toMatchObject({ index: 0, type: "function", function: { name: "calculator", arguments: '{"expression":"2+3"}' } });
    expect(call?.id).toMatch(/^call_[0-9a-f]{12}$/);
    expect(events.map((chunk) => chunk.choices[0]?.finish_reason ?? null)).toContain("tool_calls");

    const second = await client.chat.completions.create({
      model: "m",
      messages: [
        { role: "user", content: question },
        { role: "assistant", content: null, tool_calls: [{ id: call?.id ?? "", type: "function", function: { name: "calculator", arguments: '{"expression":"2+3"}' } }] },
        { role: "tool", tool_call_id: call?.id ?? "", content: "5" },
      ],
    });
    expect(second.choices[0]?.message.content).toBe("Tool said: 5");
  });

  it("fails with the scripted HTTP status", async () => {
    const error = await client.chat.completions
      .create({ model: "m", messages: [{ role: "user", content: "[[error:500]]" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(500);
    expect((error as APIError).message).toContain("Scripted error 500");
  });

  it("drops the connection after N chunks with [[cut:N]]", async () => {
    const stream = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "[[reply:one two three]] [[cut:1]]" }],
      stream: true,
    });
    const { events, error } = await collect(stream);
    expect(error).toBeInstanceOf(Error);
    expect(chatDeltas(events)).toEqual(["one"]);
  });
});

describe("fake server", () => {
  it("lists models, records and resets requests, and 404s unknown paths", async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain("gpt-4.1-mini");

    await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });
    const base = fake.url.replace(/\/v1$/, "");
    const recorded = (await (await fetch(`${base}/__requests`)).json()) as unknown[];
    expect(recorded).toHaveLength(1);
    expect(fake.requests[0]?.path).toBe("/v1/chat/completions");
    expect(fake.requests[0]?.headers.authorization).toBe("Bearer test");

    expect((await fetch(`${base}/__reset`, { method: "POST" })).status).toBe(200);
    expect(fake.requests).toHaveLength(0);

    const missing = await fetch(`${fake.url}/embeddings`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { message: "Invalid URL (POST /v1/embeddings)", type: "invalid_request_error", param: null, code: "unknown_url" },
    });
  });

  it("also serves the paths without the /v1 prefix", async () => {
    const bare = new OpenAI({ apiKey: "test", baseURL: fake.url.replace(/\/v1$/, ""), maxRetries: 0 });
    const response = await bare.responses.create({ model: "m", input: "no prefix" });
    expect(response.output_text).toBe("Echo: no prefix");
    expect(fake.requests[0]?.path).toBe("/responses");
  });

  it("rejects a bad marker with a 400", async () => {
    const error = await client.responses.create({ model: "m", input: "[[delay:later]]" }).catch((e: unknown) => e);
    expect((error as APIError).status).toBe(400);
  });

  it("closes promptly while a stream is still open", async () => {
    const other = await startFakeOpenAI();
    const slow = new OpenAI({ apiKey: "test", baseURL: other.url, maxRetries: 0 });
    const stream = await slow.responses.create({ model: "m", input: "[[reply:a b c]] [[delay:10000]]", stream: true });
    const consuming = collect(stream);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(1000);
    const { events, error } = await consuming;
    expect(responsesDeltas(events)).toEqual(["a"]);
    expect(error).toBeInstanceOf(Error);
  });
});

describe("with @openai/agents", () => {
  setTracingDisabled(true);

  const calculator = tool({
    name: "calculator",
    description: "Evaluates an arithmetic expression.",
    parameters: z.object({ expression: z.string() }),
    execute: async ({ expression }) => (expression === "2+3" ? "5" : "unknown"),
  });

  const models: [string, () => Model][] = [
    ["responses", () => new OpenAIResponsesModel(client, "gpt-4.1-mini")],
    ["chat completions", () => new OpenAIChatCompletionsModel(client, "gpt-4o-mini")],
  ];

  it.each(models)("runs a streamed tool round trip over %s", async (_, model) => {
    const agent = new Agent({ name: "assistant", instructions: "Be brief.", model: model(), tools: [calculator] });
    const result = await run(agent, '[[tool:calculator:{"expression":"2+3"}]] [[usage:in=10,cached=2,out=5,reasoning=1]] add', {
      stream: true,
    });
    const deltas: string[] = [];
    for await (const event of result) {
      if (event.type === "raw_model_stream_event" && event.data.type === "output_text_delta") deltas.push(event.data.delta);
    }
    await result.completed;
    expect(deltas).toEqual(["Tool", " said:", " 5"]);
    expect(result.finalOutput).toBe("Tool said: 5");
    expect(result.state.usage).toMatchObject({ requests: 2, inputTokens: 20, outputTokens: 10, totalTokens: 30 });
    expect(fake.requests).toHaveLength(2);
  });

  it.each([false, true])("hands a model's compaction item to the runner (stream: %s)", async (stream) => {
    const agent = new Agent({ name: "assistant", model: new OpenAIResponsesModel(client, "gpt-4.1-mini") });
    const session = new MemorySession();
    const input = "[[compaction:sealed]] [[reply:Fresh start.]] continue";
    const finish = async () => {
      if (!stream) return run(agent, input, { session });
      const streamed = await run(agent, input, { session, stream: true });
      for await (const event of streamed) void event;
      await streamed.completed;
      return streamed;
    };
    const result = await finish();
    expect(result.finalOutput).toBe("Fresh start.");
    expect(result.newItems.map((item) => item.type)).toEqual(["compaction_item", "message_output_item"]);
    const stored = await session.getItems();
    expect(stored.map((item) => item.type)).toEqual(["compaction", "message"]);
    expect(stored[0]).toMatchObject({ type: "compaction", encrypted_content: "sealed" });
  });

  it.each(models)("surfaces a cut stream over %s as an error", async (_, model) => {
    const agent = new Agent({ name: "assistant", model: model() });
    const result = await run(agent, "[[reply:a b c]] [[cut:1]]", { stream: true });
    const consume = async (): Promise<void> => {
      for await (const event of result) void event;
      await result.completed;
    };
    await expect(consume()).rejects.toThrow("terminated");
  });
});
