import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_INSTRUCTIONS } from "@/lib/agent/turn-settings";
import type { RecordedRequest } from "../fake-openai/server";
import { startHarness, type Harness } from "../support/app-harness";
import { readEvents } from "../support/sse-client";

// Settings through the turn runner (docs/settings.md): what the user and conversation set is what the fake model
// receives and what the Turn row records; a regenerate replays the recorded settings, a new message the current ones.
type Routes = {
  settings: typeof import("@/app/api/settings/route");
  conversations: typeof import("@/app/api/conversations/route");
  conversation: typeof import("@/app/api/conversations/[id]/route");
  turns: typeof import("@/app/api/conversations/[id]/turns/route");
  regenerate: typeof import("@/app/api/conversations/[id]/regenerate/route");
  branches: typeof import("@/app/api/conversations/[id]/branches/route");
  fork: typeof import("@/app/api/conversations/[id]/fork/route");
};

async function loadRoutes(): Promise<Routes> {
  return {
    settings: await import("@/app/api/settings/route"),
    conversations: await import("@/app/api/conversations/route"),
    conversation: await import("@/app/api/conversations/[id]/route"),
    turns: await import("@/app/api/conversations/[id]/turns/route"),
    regenerate: await import("@/app/api/conversations/[id]/regenerate/route"),
    branches: await import("@/app/api/conversations/[id]/branches/route"),
    fork: await import("@/app/api/conversations/[id]/fork/route"),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (response: Response) => (await response.json()) as Record<string, any>;

type Body = Record<string, unknown>;

/** What one model request was sent, in either API mode. */
function sent(request: RecordedRequest): { model: unknown; instructions: unknown; temperature: unknown; maxTokens: unknown } {
  const body = request.body as Body;
  if (request.path.includes("chat/completions")) {
    const messages = (body.messages ?? []) as { role: string; content: unknown }[];
    const system = messages.find((message) => message.role === "system");
    return { model: body.model, instructions: system?.content ?? null, temperature: body.temperature ?? null, maxTokens: body.max_tokens ?? null };
  }
  return { model: body.model, instructions: body.instructions ?? null, temperature: body.temperature ?? null, maxTokens: body.max_output_tokens ?? null };
}

function setup(options: { apiMode?: "responses" | "chat_completions"; env?: Record<string, string> } = {}) {
  const ctx = {} as { h: Harness; r: Routes };
  beforeAll(async () => {
    ctx.h = await startHarness({ apiMode: options.apiMode, env: { FORKLINE_TITLES: "heuristic", ...options.env } });
    ctx.r = await loadRoutes();
  });
  afterAll(async () => {
    for (const name of Object.keys(options.env ?? {})) delete process.env[name];
    await ctx.h.close();
  });
  const patchSettings = (body: unknown) => ctx.h.call(ctx.r.settings.PATCH, { method: "PATCH", body });
  const newConversation = async () => (await json(await ctx.h.call(ctx.r.conversations.POST, { body: {} }))).conversation.id as string;
  /** Runs a turn to its end and returns what the model was sent for it. */
  const turn = async (id: string, body: Body) => {
    const before = ctx.h.fake.requests.length;
    const events = await readEvents(await ctx.h.call(ctx.r.turns.POST, { params: { id }, body }));
    expect(events.map((event) => event.event)).toContain("turn.completed");
    const requests = ctx.h.fake.requests.slice(before);
    expect(requests).toHaveLength(1);
    return sent(requests[0]!);
  };
  const regenerate = async (id: string, turnNumber: number) => {
    const before = ctx.h.fake.requests.length;
    const events = await readEvents(await ctx.h.call(ctx.r.regenerate.POST, { params: { id }, body: { turnNumber } }));
    expect(events.map((event) => event.event)).toContain("turn.completed");
    return sent(ctx.h.fake.requests[before]!);
  };
  return { ctx, patchSettings, newConversation, turn, regenerate };
}

describe("GET|PATCH /api/settings", () => {
  const { ctx, patchSettings } = setup();

  it("answers defaults before anything is saved, round-trips every field, and clears with null", async () => {
    const initial = await json(await ctx.h.call(ctx.r.settings.GET, { method: "GET" }));
    expect(initial.settings).toEqual({ theme: "system", defaultModel: null, systemPrompt: null, temperature: null, maxOutputTokens: null, monthlyBudgetMicros: null, updatedAt: null });

    const saved = await patchSettings({ theme: "dark", defaultModel: "test-model-cheap", systemPrompt: "Be terse.", temperature: 0.3, maxOutputTokens: 256, monthlyBudgetMicros: 5_000_000 });
    expect(saved.status).toBe(200);
    const read = await json(await ctx.h.call(ctx.r.settings.GET, { method: "GET" }));
    expect(read.settings).toMatchObject({
      theme: "dark",
      defaultModel: "test-model-cheap",
      systemPrompt: "Be terse.",
      temperature: 0.3,
      maxOutputTokens: 256,
      monthlyBudgetMicros: 5_000_000,
    });
    expect(typeof read.settings.updatedAt).toBe("string");

    // A partial patch leaves the rest; null and a blank prompt clear.
    const cleared = await json(await patchSettings({ temperature: null, systemPrompt: "   " }));
    expect(cleared.settings).toMatchObject({ theme: "dark", defaultModel: "test-model-cheap", systemPrompt: null, temperature: null, maxOutputTokens: 256 });
  });

  it("keeps each user's settings apart, and deletes them with the account", async () => {
    const other = ctx.h.asNewUser();
    const theirs = await json(await other(ctx.r.settings.GET, { method: "GET" }));
    expect(theirs.settings.theme).toBe("system");
    await other(ctx.r.settings.PATCH, { method: "PATCH", body: { theme: "light" } });
    const row = await ctx.h.testDb.db.userSettings.findFirstOrThrow({ where: { theme: "light" } });
    await ctx.h.testDb.db.user.delete({ where: { id: row.userId } });
    expect(await ctx.h.testDb.db.userSettings.count({ where: { userId: row.userId } })).toBe(0);
  });

  it.each([
    [{ temperature: 2.5 }, "temperature"],
    [{ temperature: -0.1 }, "temperature"],
    [{ temperature: "hot" }, "temperature"],
    [{ maxOutputTokens: 0 }, "maxOutputTokens"],
    [{ maxOutputTokens: 12.5 }, "maxOutputTokens"],
    [{ maxOutputTokens: 1_000_000 }, "maxOutputTokens"],
    [{ systemPrompt: "x".repeat(8_001) }, "systemPrompt"],
    [{ theme: "blue" }, "theme"],
    [{ monthlyBudgetMicros: 0 }, "monthlyBudgetMicros"],
    [{ monthlyBudgetMicros: 1.5 }, "monthlyBudgetMicros"],
    [{ monthlyBudgetMicros: 3_000_000_000 }, "monthlyBudgetMicros"],
    [{ colour: "red" }, "colour"],
  ])("answers 400 for %j", async (body, field) => {
    const response = await patchSettings(body);
    expect(response.status).toBe(400);
    const error = (await json(response)).error;
    expect(error.code).toEqual(expect.any(String));
    expect(error.message).toContain(field);
  });

  it("answers 400 unknown_model for a default model the server does not offer", async () => {
    const response = await patchSettings({ defaultModel: "gpt-nonexistent" });
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({ code: "unknown_model" });
  });
});

for (const apiMode of ["responses", "chat_completions"] as const) {
  describe(`settings reach the model and the Turn row (${apiMode})`, () => {
    const { ctx, patchSettings, newConversation, turn, regenerate } = setup({ apiMode });

    it("sends the built-in instructions, no temperature and the default max output tokens when nothing is set", async () => {
      const id = await newConversation();
      // A request always carries an output bound: FORKLINE_MAX_OUTPUT_TOKENS, by default min(16384, FORKLINE_MAX_REPLY_CHARS / 4).
      expect(await turn(id, { message: "plain" })).toMatchObject({ model: "test-model", instructions: AGENT_INSTRUCTIONS, temperature: null, maxTokens: 16_384 });
      const row = await ctx.h.testDb.db.turn.findFirstOrThrow({ where: { conversationId: id } });
      expect(row).toMatchObject({ instructions: AGENT_INSTRUCTIONS, temperature: null, maxOutputTokens: null });
    });

    it("sends the user's system prompt, temperature, max output tokens and default model, and records them on the turn", async () => {
      await patchSettings({ systemPrompt: "You are a pirate.", temperature: 0.25, maxOutputTokens: 321, defaultModel: "test-model-cheap" });
      const id = await newConversation();
      expect(await turn(id, { message: "ahoy" })).toEqual({ model: "test-model-cheap", instructions: "You are a pirate.", temperature: 0.25, maxTokens: 321 });
      const row = await ctx.h.testDb.db.turn.findFirstOrThrow({ where: { conversationId: id } });
      expect(row).toMatchObject({ model: "test-model-cheap", instructions: "You are a pirate.", temperature: 0.25, maxOutputTokens: 321 });
      // A model named in the request still wins over the default.
      expect((await turn(id, { message: "again", model: "test-model" })).model).toBe("test-model");
    });

    it("lets a conversation's own system prompt win, and null hands back to the user's default", async () => {
      await patchSettings({ systemPrompt: "User default." });
      const id = await newConversation();
      const patched = await json(await ctx.h.call(ctx.r.conversation.PATCH, { method: "PATCH", params: { id }, body: { systemPrompt: "Conversation override." } }));
      expect(patched.conversation.systemPrompt).toBe("Conversation override.");
      const detail = await json(await ctx.h.call(ctx.r.conversation.GET, { method: "GET", params: { id } }));
      expect(detail.conversation.systemPrompt).toBe("Conversation override.");
      expect((await turn(id, { message: "one" })).instructions).toBe("Conversation override.");
      const otherId = await newConversation();
      expect((await turn(otherId, { message: "elsewhere" })).instructions).toBe("User default.");
      await ctx.h.call(ctx.r.conversation.PATCH, { method: "PATCH", params: { id }, body: { systemPrompt: null } });
      expect((await turn(id, { message: "two" })).instructions).toBe("User default.");
    });

    it("regenerate replays the instructions and sampling settings turn n was sent; a new message and an edit on a fork use the current ones", async () => {
      await patchSettings({ systemPrompt: "Original prompt.", temperature: 0.5, maxOutputTokens: 100 });
      const id = await newConversation();
      await turn(id, { message: "first" });
      await patchSettings({ systemPrompt: "Changed prompt.", temperature: 1.5, maxOutputTokens: 200 });

      expect(await regenerate(id, 1)).toMatchObject({ instructions: "Original prompt.", temperature: 0.5, maxTokens: 100 });
      const siblings = await ctx.h.testDb.db.turn.findMany({ where: { conversationId: id, depth: 1 }, orderBy: { createdAt: "asc" } });
      expect(siblings).toHaveLength(2);
      expect(siblings.map((row) => row.instructions)).toEqual(["Original prompt.", "Original prompt."]);

      expect(await turn(id, { message: "second" })).toMatchObject({ instructions: "Changed prompt.", temperature: 1.5, maxTokens: 200 });

      // Edit-and-resend: a branch without turn 1, then a new message on it.
      const branch = await json(await ctx.h.call(ctx.r.branches.POST, { params: { id }, body: { fromTurn: 1 } }));
      expect(await turn(id, { message: "first, edited", branchId: branch.branch.id })).toMatchObject({ instructions: "Changed prompt.", temperature: 1.5 });
    });

    it("a fork into a new conversation keeps the conversation's own prompt for its new turns", async () => {
      await patchSettings({ systemPrompt: "Default after fork." });
      const id = await newConversation();
      await ctx.h.call(ctx.r.conversation.PATCH, { method: "PATCH", params: { id }, body: { systemPrompt: "Forked override." } });
      await turn(id, { message: "root" });
      const fork = await json(await ctx.h.call(ctx.r.fork.POST, { params: { id }, body: { turnNumber: 1, inclusive: true } }));
      expect((await turn(fork.conversation.id, { message: "in the fork" })).instructions).toBe("Forked override.");
    });
  });
}

describe("recorded instructions with encryption at rest", () => {
  const SECRET = "Settings-Secret-9931";
  const { ctx, patchSettings, newConversation, turn, regenerate } = setup({ env: { FORKLINE_ENCRYPTION_KEY: randomBytes(32).toString("base64") } });

  it("stores the turn's instructions sealed, and a regenerate still replays them", async () => {
    await patchSettings({ systemPrompt: `Remember ${SECRET}.` });
    const id = await newConversation();
    await turn(id, { message: "hello" });
    const row = await ctx.h.testDb.db.turn.findFirstOrThrow({ where: { conversationId: id } });
    expect(row.instructions).toMatch(/^enc:v1:/);
    expect(row.instructions).not.toContain(SECRET);
    await patchSettings({ systemPrompt: "Something else." });
    expect((await regenerate(id, 1)).instructions).toBe(`Remember ${SECRET}.`);
  });
});
