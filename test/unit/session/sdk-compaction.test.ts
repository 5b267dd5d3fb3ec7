import {
  Agent,
  OpenAIResponsesCompactionSession,
  run,
  setDefaultOpenAIClient,
  setOpenAIAPI,
  setTracingDisabled,
  Usage,
  type AgentInputItem,
  type RequestUsage,
  type Session,
} from "@openai/agents";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaSession, type ConversationTurn, type SessionUsage } from "@/lib/session";
import { FAKE_COMPACT_USAGE, fakeEncryptedContent } from "../../fake-openai/compaction";
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest } from "../../fake-openai/server";
import { assistant, texts, user } from "../../support/items";
import { createTestDb, type TestDb } from "../../support/test-db";

let testDb: TestDb;
let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  [testDb, fake] = await Promise.all([createTestDb(), startFakeOpenAI()]);
  client = new OpenAI({ apiKey: "test", baseURL: fake.url, maxRetries: 0 });
  setDefaultOpenAIClient(client);
  setOpenAIAPI("responses");
  setTracingDisabled(true);
});
afterAll(async () => {
  await Promise.all([testDb.dispose(), fake.close()]);
});

const TURNS = 12;
const TURN_MODEL = "gpt-4.1-mini";
const COMPACTION_MODEL = "gpt-4.1";
const SEED_USAGE = { requests: 1, inputTokens: 100, cachedInputTokens: 0, outputTokens: 20, reasoningTokens: 0 };
const RUN_USAGE_MARKER = "[[usage:in=300,out=30]]";

/** Micro-dollars at the repo's price table: gpt-4.1-mini $0.40 / $1.60, gpt-4.1 $2 / $8 per 1M input / output tokens. */
const turnCost = (input: number, output: number) => input * 0.4 + output * 1.6;
const compactionCost = (input: number, output: number) => input * 2 + output * 8;

const agent = new Agent({ name: "assistant", model: TURN_MODEL });
const seededTexts = Array.from({ length: TURNS }, (_, i) => `q${i + 1}`);

let counter = 0;
const newSession = () => new PrismaSession({ sessionId: `compaction-${++counter}`, db: testDb.db });

type UsageGrowth = Pick<SessionUsage, "requests" | "inputTokens" | "cachedInputTokens" | "outputTokens" | "reasoningTokens" | "totalTokens" | "costMicros">;

type Snapshot = {
  mainId: string;
  sideId: string;
  branches: { id: string; name: string }[];
  sideTurns: ConversationTurn[];
  sideItems: AgentInputItem[];
  usage: SessionUsage;
};

/** What a compaction path produced, for the shared assertions. */
type Outcome = {
  /** The session the next `run()` is given. */
  runner: Session;
  /** User turns main must still list first, in order. */
  rawTexts: string[];
  /** What `getSessionUsage()` must have grown by. */
  growth: UsageGrowth;
  /** `getItems()` on main, as `[role or type, text or encrypted content]`: the compaction item, then what follows it. */
  mainItems: [string, string][];
  encryptedContent: string;
};

function growth(parts: { requests: number; input: number; output: number; cost: number }): UsageGrowth {
  return {
    requests: parts.requests,
    inputTokens: parts.input,
    cachedInputTokens: 0,
    outputTokens: parts.output,
    reasoningTokens: 0,
    totalTokens: parts.input + parts.output,
    costMicros: parts.cost,
  };
}

const compactionGrowth = growth({
  requests: 1,
  input: FAKE_COMPACT_USAGE.input,
  output: FAKE_COMPACT_USAGE.output,
  cost: compactionCost(FAKE_COMPACT_USAGE.input, FAKE_COMPACT_USAGE.output),
});
const runGrowth = growth({ requests: 1, input: 300, output: 30, cost: turnCost(300, 30) });

function sum(a: UsageGrowth, b: UsageGrowth): UsageGrowth {
  return growth({ requests: a.requests + b.requests, input: a.inputTokens + b.inputTokens, output: a.outputTokens + b.outputTokens, cost: a.costMicros + b.costMicros });
}

/** One model call's usage as a run-level `Usage`, the way the runner counts a compaction (one request). */
function asRunUsage(request: RequestUsage): Usage {
  return new Usage({
    requests: 1,
    inputTokens: request.inputTokens,
    outputTokens: request.outputTokens,
    totalTokens: request.totalTokens,
    inputTokensDetails: request.inputTokensDetails,
    outputTokensDetails: request.outputTokensDetails,
    requestUsageEntries: [request],
  });
}

function shape(item: AgentInputItem): [string, string] {
  const loose = item as unknown as Record<string, unknown>;
  if (loose.type === "compaction") return ["compaction", String(loose.encrypted_content)];
  return [String(loose.role ?? loose.type), texts([item])[0] ?? ""];
}

function partText(part: unknown): string {
  const loose = part as { text?: unknown } | null;
  return typeof loose?.text === "string" ? loose.text : "";
}

/** `[role or type, text]` of a Responses request's input items. */
function inputShape(body: Record<string, unknown>): [string, string][] {
  const input = (Array.isArray(body.input) ? body.input : []) as Record<string, unknown>[];
  return input.map((entry) => {
    if (entry.type === "compaction") return ["compaction", String(entry.encrypted_content)];
    const content = entry.content;
    const text = typeof content === "string" ? content : Array.isArray(content) ? content.map(partText).join("") : "";
    return [String(entry.role ?? entry.type), text];
  });
}

const requestsTo = (path: string): RecordedRequest[] => fake.requests.filter((request) => request.path === path);

async function branchNames(s: PrismaSession): Promise<{ id: string; name: string }[]> {
  return (await s.listBranches()).map(({ id, name }) => ({ id, name }));
}

/** Runs a turn to its end, draining the stream when there is one. */
async function runTurn(input: string, session: Session, stream = false) {
  if (!stream) return run(agent, input, { session });
  const result = await run(agent, input, { session, stream: true });
  for await (const _event of result) {
    // drain
  }
  await result.completed;
  return result;
}

/** Twelve turns on main with usage, and a side branch forked at turn 6 with one turn of its own; main is active. */
async function seed(s: PrismaSession): Promise<Snapshot> {
  for (const [index, text] of seededTexts.entries()) {
    await s.addItems([user(text), assistant(`a${index + 1}`)]);
    await s.storeRunUsage(SEED_USAGE, { model: TURN_MODEL });
  }
  const mainId = await s.getCurrentBranchId();
  const sideId = await s.createBranchFromTurn(6, { name: "side" });
  await s.addItems([user("q6 on side"), assistant("a6 on side")]);
  await s.storeRunUsage(SEED_USAGE, { model: TURN_MODEL });
  const sideItems = await s.getItems();
  await s.switchToBranch(mainId);

  expect(texts(sideItems)).toEqual(["q1", "a1", "q2", "a2", "q3", "a3", "q4", "a4", "q5", "a5", "q6 on side", "a6 on side"]);
  expect(texts(await s.getItems())).toEqual(seededTexts.flatMap((text, index) => [text, `a${index + 1}`]));
  const usage = await s.getSessionUsage();
  expect(usage).toMatchObject({ requests: TURNS + 1, inputTokens: 100 * (TURNS + 1), outputTokens: 20 * (TURNS + 1) });
  return {
    mainId,
    sideId,
    branches: await branchNames(s),
    sideTurns: await s.getConversationTurns(sideId),
    sideItems,
    usage: usage!,
  };
}

/** Registers the assertions every compaction path must meet, after `compact` ran on a seeded conversation. */
function describeCompaction(title: string, compact: (s: PrismaSession, before: Snapshot) => Promise<Outcome>): void {
  describe(title, () => {
    let s: PrismaSession;
    let before: Snapshot;
    let outcome: Outcome;

    beforeAll(async () => {
      s = newSession();
      before = await seed(s);
      fake.reset();
      outcome = await compact(s, before);
    });

    it("keeps every branch, with the same ids and names", async () => {
      expect(await branchNames(s)).toEqual(before.branches);
      expect(await s.getCurrentBranchId()).toBe(before.mainId);
    });

    it("still lists every raw user turn on main, in order", async () => {
      const turns = await s.getConversationTurns();
      expect(turns.slice(0, outcome.rawTexts.length).map((t) => [t.turn, t.fullContent])).toEqual(
        outcome.rawTexts.map((text, index) => [index + 1, text]),
      );
    });

    it("leaves the side branch, forked before the compaction, exactly as it was", async () => {
      expect(await s.getConversationTurns(before.sideId)).toEqual(before.sideTurns);
      await s.switchToBranch(before.sideId);
      try {
        expect(await s.getItems()).toEqual(before.sideItems);
      } finally {
        await s.switchToBranch(before.mainId);
      }
    });

    it("grows the conversation's usage by exactly what was spent, removing nothing", async () => {
      const after = await s.getSessionUsage();
      const { growth: g } = outcome;
      expect(after).toEqual({
        requests: before.usage.requests + g.requests,
        inputTokens: before.usage.inputTokens + g.inputTokens,
        cachedInputTokens: before.usage.cachedInputTokens + g.cachedInputTokens,
        outputTokens: before.usage.outputTokens + g.outputTokens,
        reasoningTokens: before.usage.reasoningTokens + g.reasoningTokens,
        totalTokens: before.usage.totalTokens + g.totalTokens,
        costMicros: before.usage.costMicros + g.costMicros,
        unpricedCalls: 0,
        unpricedModels: [],
        cacheSavingsMicros: 0,
        estimated: false,
        turns: expect.any(Number),
      });
      expect(after!.turns).toBeGreaterThanOrEqual(before.usage.turns);
    });

    it("replays main from the compacted window", async () => {
      expect((await s.getItems()).map(shape)).toEqual(outcome.mainItems);
    });

    it("sends the compaction item first on the next request, and numbers the new turn next", async () => {
      const turnsBefore = await s.getConversationTurns();
      fake.reset();
      const next = "[[reply:After compaction.]] follow-up";
      const result = await runTurn(next, outcome.runner);
      expect(result.finalOutput).toBe("After compaction.");

      const [request] = requestsTo("/v1/responses");
      expect(request?.body.input[0]).toMatchObject({ type: "compaction", encrypted_content: outcome.encryptedContent });
      expect(inputShape(request!.body)).toEqual([...outcome.mainItems, ["user", next]]);
      expect(requestsTo("/v1/responses/compact")).toEqual([]);

      const turnsAfter = await s.getConversationTurns();
      expect(turnsAfter.slice(0, -1).map((t) => [t.turn, t.fullContent])).toEqual(turnsBefore.map((t) => [t.turn, t.fullContent]));
      expect(turnsAfter.map((t) => [t.turn, t.fullContent]).at(-1)).toEqual([(turnsBefore.at(-1)?.turn ?? 0) + 1, next]);
      expect((await s.getItems()).map(shape)).toEqual([...outcome.mainItems, ["user", next], ["assistant", "After compaction."]]);
    });
  });
}

describe("compaction through @openai/agents on a PrismaSession with branches and usage", () => {
  describeCompaction("manual OpenAIResponsesCompactionSession.runCompaction({ force: true })", async (s) => {
    const wrapper = new OpenAIResponsesCompactionSession({ underlyingSession: s, client, compactionMode: "input", model: COMPACTION_MODEL });
    const result = await wrapper.runCompaction({ force: true });
    expect(result?.usage).toMatchObject({
      inputTokens: FAKE_COMPACT_USAGE.input,
      outputTokens: FAKE_COMPACT_USAGE.output,
      totalTokens: FAKE_COMPACT_USAGE.total,
      endpoint: "responses.compact",
    });
    await s.storeRunUsage(asRunUsage(result!.usage), { purpose: "compaction", model: COMPACTION_MODEL });

    const [request] = requestsTo("/v1/responses/compact");
    expect(fake.requests).toHaveLength(1);
    expect(request?.body.model).toBe(COMPACTION_MODEL);
    expect(inputShape(request!.body)).toEqual(seededTexts.flatMap((text, index) => [["user", text], ["assistant", `a${index + 1}`]]));
    const encryptedContent = fakeEncryptedContent(request?.body.input);
    return {
      runner: s,
      rawTexts: seededTexts,
      growth: compactionGrowth,
      // OpenAI puts the retained user messages before the compaction item; replay starts at the compaction item.
      mainItems: [["compaction", encryptedContent]],
      encryptedContent,
    };
  });

  describeCompaction("automatic compaction by run(agent, input, { session: wrapper }) after the turn", async (s) => {
    const wrapper = new OpenAIResponsesCompactionSession({
      underlyingSession: s,
      client,
      compactionMode: "input",
      model: COMPACTION_MODEL,
      shouldTriggerCompaction: ({ compactionCandidateItems }) => compactionCandidateItems.length > TURNS,
    });
    const question = `${RUN_USAGE_MARKER} [[reply:a13]] q13`;
    const result = await runTurn(question, wrapper);
    expect(fake.requests.map((request) => request.path)).toEqual(["/v1/responses", "/v1/responses/compact"]);

    // The runner adds the compaction call to the run's usage, as one more request.
    const total = result.state.usage;
    expect(total).toMatchObject({
      requests: 2,
      inputTokens: 300 + FAKE_COMPACT_USAGE.input,
      outputTokens: 30 + FAKE_COMPACT_USAGE.output,
      totalTokens: 330 + FAKE_COMPACT_USAGE.total,
    });
    const entries = total.requestUsageEntries ?? [];
    expect(entries.map((entry) => [entry.endpoint, entry.inputTokens, entry.outputTokens])).toEqual([
      ["responses.create", 300, 30],
      ["responses.compact", FAKE_COMPACT_USAGE.input, FAKE_COMPACT_USAGE.output],
    ]);
    // Stored per call so each is priced for its own model: the turn's, and the compaction's.
    for (const entry of entries) {
      const compaction = entry.endpoint === "responses.compact";
      await s.storeRunUsage(asRunUsage(entry), compaction ? { purpose: "compaction", model: COMPACTION_MODEL } : { model: TURN_MODEL });
    }

    const compactRequest = requestsTo("/v1/responses/compact")[0];
    expect(inputShape(compactRequest!.body).slice(-2)).toEqual([
      ["user", question],
      ["assistant", "a13"],
    ]);
    const encryptedContent = fakeEncryptedContent(compactRequest?.body.input);
    const rawTexts = [...seededTexts, question];
    return {
      runner: wrapper,
      rawTexts,
      growth: sum(runGrowth, compactionGrowth),
      mainItems: [["compaction", encryptedContent]],
      encryptedContent,
    };
  });

  it("compacts automatically again on a later turn, from the previous compaction item", async () => {
    const s = newSession();
    await seed(s);
    fake.reset();
    const wrapper = new OpenAIResponsesCompactionSession({
      underlyingSession: s,
      client,
      compactionMode: "input",
      model: COMPACTION_MODEL,
      shouldTriggerCompaction: () => true,
    });
    await runTurn("[[reply:a13]] q13", wrapper);
    await runTurn("[[reply:a14]] q14", wrapper);
    const compactions = requestsTo("/v1/responses/compact");
    expect(compactions).toHaveLength(2);
    // The wrapper only compacts history the model saw; the model saw the window from the compaction item on.
    expect(inputShape(compactions[1]!.body)).toEqual([
      ["compaction", fakeEncryptedContent(compactions[0]!.body.input)],
      ["user", "[[reply:a14]] q14"],
      ["assistant", "a14"],
    ]);
  });

  for (const stream of [false, true]) {
    describeCompaction(`a compaction item in the model's own output, run(agent, input, { session, stream: ${stream} })`, async (s) => {
      const question = `${RUN_USAGE_MARKER} [[compaction]] [[reply:Compacted reply.]] q13`;
      const result = await runTurn(question, s, stream);
      expect(result.finalOutput).toBe("Compacted reply.");
      expect(result.newItems.map((item) => item.type)).toEqual(["compaction_item", "message_output_item"]);
      await s.storeRunUsage(result, { model: TURN_MODEL });

      const [request] = requestsTo("/v1/responses");
      expect(fake.requests).toHaveLength(1);
      const encryptedContent = fakeEncryptedContent(request?.body.input);
      return {
        runner: s,
        // The runner persists from the compaction item on, so this run's own user message never reaches the session.
        rawTexts: seededTexts,
        growth: runGrowth,
        mainItems: [
          ["compaction", encryptedContent],
          ["assistant", "Compacted reply."],
        ],
        encryptedContent,
      };
    });
  }
});
