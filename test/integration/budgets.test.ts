import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BudgetStatus, TurnEstimate } from "@/lib/api-types";
import { createDbClient } from "@/lib/db/create-client";
import { budgetWarnings } from "@/lib/usage/budget-math";
import { startHarness, type Harness } from "../support/app-harness";
import { readEvents } from "../support/sse-client";

// Pre-send estimates and budgets (docs/budgets.md) through the real routes, the real database and the fake model
// server over HTTP. test-model costs $2 per 1M input tokens (test/support/test-prices.json): 1 token = 2 micro-dollars.
type Routes = {
  settings: typeof import("@/app/api/settings/route");
  conversations: typeof import("@/app/api/conversations/route");
  conversation: typeof import("@/app/api/conversations/[id]/route");
  turns: typeof import("@/app/api/conversations/[id]/turns/route");
  estimate: typeof import("@/app/api/conversations/[id]/estimate/route");
  regenerate: typeof import("@/app/api/conversations/[id]/regenerate/route");
};

let h: Harness;
let r: Routes;
type Call = Harness["call"];

beforeAll(async () => {
  h = await startHarness({ env: { FORKLINE_TITLES: "heuristic", FORKLINE_GUEST_DAILY_SPEND_USD: "100" } });
  r = {
    settings: await import("@/app/api/settings/route"),
    conversations: await import("@/app/api/conversations/route"),
    conversation: await import("@/app/api/conversations/[id]/route"),
    turns: await import("@/app/api/conversations/[id]/turns/route"),
    estimate: await import("@/app/api/conversations/[id]/estimate/route"),
    regenerate: await import("@/app/api/conversations/[id]/regenerate/route"),
  };
});
afterAll(async () => {
  delete process.env.FORKLINE_TITLES;
  delete process.env.FORKLINE_GUEST_DAILY_SPEND_USD;
  await h.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (response: Response) => (await response.json()) as Record<string, any>;

const newConversation = async (call: Call = h.call) => (await json(await call(r.conversations.POST, { body: {} }))).conversation.id as string;

async function estimate(id: string, draft: string, call: Call = h.call, extra: Record<string, unknown> = {}): Promise<TurnEstimate> {
  const response = await call(r.estimate.POST, { params: { id }, body: { draft, ...extra } });
  expect(response.status).toBe(200);
  return (await json(response)).estimate as TurnEstimate;
}

/** Runs a turn to its end; returns the input tokens the fake server reported for it. */
async function turn(id: string, message: string, call: Call = h.call): Promise<number> {
  const events = await readEvents(await call(r.turns.POST, { params: { id }, body: { message } }));
  const completed = events.find((event) => event.event === "turn.completed");
  expect(completed, JSON.stringify(events)).toBeDefined();
  return (completed!.data.usage as { inputTokens: number }).inputTokens;
}

const patchConversation = (id: string, body: unknown, call: Call = h.call) => call(r.conversation.PATCH, { method: "PATCH", params: { id }, body });
const turnCount = async (id: string, call: Call = h.call) => (await json(await call(r.conversation.GET, { method: "GET", params: { id } }))).conversation.turns.length as number;

const FIRST = "Explain how tokenizers split unbelievably long words, in two sentences. [[reply:Tokenizers split text into frequent pieces; rare or unbelievably long words become several sub-word tokens.]]";
const SECOND = "And what happens to emoji 🎉, ünïcödé and code like `const x = 42;`? [[count-tokens]]";

const within5Percent = (estimated: number, reported: number) => Math.abs(estimated - reported) / reported;

describe("POST /api/conversations/:id/estimate", () => {
  it("matches the input tokens the model server reports for a first turn and for a second turn with history", async () => {
    const id = await newConversation();
    const first = `${FIRST} [[count-tokens]]`;
    const before = await estimate(id, first);
    expect(before.model).toBe("test-model");
    expect(before.budgets).toEqual([]);
    const reportedFirst = await turn(id, first);
    expect(within5Percent(before.inputTokens, reportedFirst)).toBeLessThanOrEqual(0.05);

    const next = await estimate(id, SECOND);
    // The history is in it: far more than the draft and instructions alone.
    expect(next.inputTokens).toBeGreaterThan(before.inputTokens);
    expect(next.costMicros).toBe(next.inputTokens * 2);
    const reported = await turn(id, SECOND);
    expect(reported).toBeGreaterThan(0);
    expect(within5Percent(next.inputTokens, reported)).toBeLessThanOrEqual(0.05);
  });

  it("counts only the history actually sent: a history limit lowers the estimate, and still matches", async () => {
    const id = await newConversation();
    await turn(id, FIRST);
    await turn(id, "A second question with a longer answer. [[reply:Here is a much longer answer that goes on for a while, so that dropping it from the history is visible in the count.]]");
    const full = await estimate(id, SECOND);
    await h.testDb.db.conversation.update({ where: { id }, data: { historyLimit: 1 } });
    const limited = await estimate(id, SECOND);
    expect(limited.inputTokens).toBeLessThan(full.inputTokens);
    const reported = await turn(id, SECOND);
    expect(within5Percent(limited.inputTokens, reported)).toBeLessThanOrEqual(0.05);
  });

  it("says when the model has no price, and answers clear 4xx errors for bad input", async () => {
    const id = await newConversation();
    const unpriced = await estimate(id, "hello", h.call, { model: "unpriced-model" });
    expect(unpriced).toMatchObject({ model: "unpriced-model", costMicros: null });
    expect(unpriced.inputTokens).toBeGreaterThan(0);
    const cases: [unknown, number, string][] = [
      [{ draft: 3 }, 400, "invalid_request"],
      [{ draft: "x", model: "no-such-model" }, 400, "unknown_model"],
      [{ draft: "x", branchId: "nope" }, 404, "branch_not_found"],
      [{ draft: "x", extra: true }, 400, "invalid_request"],
    ];
    for (const [body, status, code] of cases) {
      const response = await h.call(r.estimate.POST, { params: { id }, body });
      expect(response.status).toBe(status);
      expect((await json(response)).error.code).toBe(code);
    }
    const stranger = await h.asNewUser()(r.estimate.POST, { params: { id }, body: { draft: "x" } });
    expect(stranger.status).toBe(404);
  });
});

describe("budgets", () => {
  it("stores a conversation's budget through PATCH and returns it from GET; rejects a bad one", async () => {
    const id = await newConversation();
    expect((await json(await patchConversation(id, { budgetMicros: 500_000 }))).conversation.budgetMicros).toBe(500_000);
    expect((await json(await h.call(r.conversation.GET, { method: "GET", params: { id } }))).conversation.budgetMicros).toBe(500_000);
    for (const budgetMicros of [0, -5, 1.5, "1", 3_000_000_000]) {
      const response = await patchConversation(id, { budgetMicros });
      expect(response.status).toBe(400);
      expect((await json(response)).error.code).toBe("invalid_request");
    }
    expect((await json(await patchConversation(id, { budgetMicros: null }))).conversation.budgetMicros).toBeNull();
  });

  it("refuses the turn whose input would cross the conversation's budget, storing nothing, and lets the one that fits", async () => {
    const id = await newConversation();
    await turn(id, "Start. [[usage:in=100000,out=0]]"); // 200,000 micro-dollars
    const draft = "A follow-up question of a few words.";
    const { costMicros } = await estimate(id, draft);
    expect(costMicros).toBeGreaterThan(0);
    const requestsBefore = h.fake.requests.length;

    expect((await patchConversation(id, { budgetMicros: 200_000 + costMicros! - 1 })).status).toBe(200);
    const refused = await h.call(r.turns.POST, { params: { id }, body: { message: draft } });
    expect(refused.status).toBe(402);
    const { error } = await json(refused);
    expect(error.code).toBe("budget_exceeded");
    expect(error.message).toContain("this conversation's budget of $0.20");
    expect(error.message).toContain("$0.20 is spent");
    expect(error.message).toContain("conversation's settings");
    expect(await turnCount(id)).toBe(1);
    expect(h.fake.requests.length).toBe(requestsBefore);

    expect((await patchConversation(id, { budgetMicros: 200_000 + costMicros! })).status).toBe(200);
    await turn(id, draft);
    expect(await turnCount(id)).toBe(2);
    // Now past it: even a regenerate is refused before a branch is made.
    const regenerate = await h.call(r.regenerate.POST, { params: { id }, body: { turnNumber: 1 } });
    expect(regenerate.status).toBe(402);
    expect((await json(regenerate)).error.code).toBe("budget_exceeded");
    expect((await json(await h.call(r.conversation.GET, { method: "GET", params: { id } }))).conversation.branches).toHaveLength(1);
  });

  it("refuses on a used-up budget even when the model has no price", async () => {
    const id = await newConversation();
    await turn(id, "Spend. [[usage:in=1000,out=0]]"); // 2,000
    await patchConversation(id, { budgetMicros: 2_000 });
    const refused = await h.call(r.turns.POST, { params: { id }, body: { message: "free?", model: "unpriced-model" } });
    expect(refused.status).toBe(402);
    expect((await json(refused)).error.code).toBe("budget_exceeded");
  });

  it("reports the status the composer warns on at 80 %", async () => {
    const id = await newConversation();
    await turn(id, "Spend. [[usage:in=40000,out=0]]"); // 80,000
    await patchConversation(id, { budgetMicros: 100_000 });
    const at80 = (await estimate(id, "x")).budgets;
    expect(at80).toEqual<BudgetStatus[]>([{ scope: "conversation", limitMicros: 100_000, spentMicros: 80_000 }]);
    expect(budgetWarnings(at80)).toHaveLength(1);
    await patchConversation(id, { budgetMicros: 100_001 });
    expect(budgetWarnings((await estimate(id, "x")).budgets)).toEqual([]);
  });

  it("counts a deleted conversation's calls against the monthly budget", async () => {
    const call = h.asNewUser();
    const gone = await newConversation(call);
    await turn(gone, "Spend. [[usage:in=50000,out=0]]", call); // 100,000
    expect((await call(r.conversation.DELETE, { method: "DELETE", params: { id: gone } })).status).toBe(204);
    expect((await call(r.settings.PATCH, { method: "PATCH", body: { monthlyBudgetMicros: 100_000 } })).status).toBe(200);
    const id = await newConversation(call);
    expect((await estimate(id, "hi", call)).budgets).toEqual([{ scope: "month", limitMicros: 100_000, spentMicros: 100_000 }]);
    const refused = await call(r.turns.POST, { params: { id }, body: { message: "hi" } });
    expect(refused.status).toBe(402);
    const { error } = await json(refused);
    expect(error).toMatchObject({ code: "budget_exceeded" });
    expect(error.message).toContain("your monthly budget of $0.10");
    expect(error.message).toContain("Settings → Budget");
    expect(await turnCount(id, call)).toBe(0);
  });

  it("is enforced by another instance on the same database: spend through A, refused through B", async () => {
    const globals = globalThis as unknown as { forklineDb?: { db: unknown; provider: unknown } };
    const instanceA = globals.forklineDb!;
    // Instance B: its own client and connection pool on the same database (PostgreSQL under scripts/with-postgres.sh).
    const instanceB = createDbClient(h.testDb.url);
    const onB = async <T>(work: () => Promise<T>): Promise<T> => {
      globals.forklineDb = { db: instanceB.db, provider: instanceB.provider };
      try {
        return await work();
      } finally {
        globals.forklineDb = instanceA;
      }
    };
    try {
      const call = h.asNewUser();
      const id = await newConversation(call);
      await patchConversation(id, { budgetMicros: 150_000 }, call);
      await turn(id, "On A. [[usage:in=50000,out=0]]", call); // 100,000: fits
      expect(await onB(() => turn(id, "On B, still fits. [[usage:in=25000,out=0]]", call))).toBe(25_000); // 150,000 now
      const refused = await onB(() => call(r.turns.POST, { params: { id }, body: { message: "On B, past it" } }));
      expect(refused.status).toBe(402);
      expect((await json(refused)).error.code).toBe("budget_exceeded");
      const refusedOnA = await call(r.turns.POST, { params: { id }, body: { message: "On A, past it" } });
      expect(refusedOnA.status).toBe(402);
      expect(await onB(() => turnCount(id, call))).toBe(2);
    } finally {
      await instanceB.db.$disconnect();
    }
  });
});
