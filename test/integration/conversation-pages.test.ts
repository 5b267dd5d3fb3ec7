import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness";
import { readEvents } from "../support/sse-client";

// A 5 MB reply was re-sent on every GET of its conversation: the GET sends a page of the active branch's turns.
let h: Harness;
let routes: {
  conversations: typeof import("@/app/api/conversations/route");
  conversation: typeof import("@/app/api/conversations/[id]/route");
  turns: typeof import("@/app/api/conversations/[id]/turns/route");
  branches: typeof import("@/app/api/conversations/[id]/branches/route");
};
let id: string;
const TURNS = 60;

type Page = { turns: { number: number; messages: { kind: string; text: string }[]; siblings: { count: number } }[]; earlierTurns: number };

beforeAll(async () => {
  h = await startHarness({ env: { FORKLINE_TITLES: "heuristic" } });
  routes = {
    conversations: await import("@/app/api/conversations/route"),
    conversation: await import("@/app/api/conversations/[id]/route"),
    turns: await import("@/app/api/conversations/[id]/turns/route"),
    branches: await import("@/app/api/conversations/[id]/branches/route"),
  };
  id = ((await (await h.call(routes.conversations.POST, { body: {} })).json()) as { conversation: { id: string } }).conversation.id;
  for (let n = 1; n <= TURNS; n++) {
    const events = await readEvents(await h.call(routes.turns.POST, { params: { id }, body: { message: `message ${n} [[reply:answer ${n}]]` } }));
    expect(events.map((event) => event.event)).toContain("turn.completed");
  }
}, 120_000);
afterAll(async () => {
  await h.close();
});

async function page(query: string): Promise<Page> {
  const response = await h.call(routes.conversation.GET, { method: "GET", path: `/api/conversations/${id}${query}`, params: { id } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { conversation: Page }).conversation;
}

const numbers = (p: Page) => p.turns.map((turn) => turn.number);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("GET /api/conversations/:id pages the active branch", () => {
  it("sends the last 50 turns by default and says how many come before", async () => {
    const first = await page("");
    expect(numbers(first)).toEqual(range(11, 60));
    expect(first.earlierTurns).toBe(10);
    expect(first.turns.at(-1)!.messages).toEqual([
      { kind: "user", text: "message 60 [[reply:answer 60]]" },
      { kind: "assistant", text: "answer 60" },
    ]);
  });

  it("walks back with ?before= to the first turn, none missing or repeated", async () => {
    const seen: number[] = [];
    let current = await page("?turns=25");
    const earlier: number[] = [current.earlierTurns];
    seen.unshift(...numbers(current));
    while (current.earlierTurns > 0) {
      current = await page(`?turns=25&before=${current.turns[0]!.number}`);
      earlier.push(current.earlierTurns);
      seen.unshift(...numbers(current));
    }
    expect(seen).toEqual(range(1, TURNS));
    expect(earlier).toEqual([35, 10, 0]);
    expect(current.turns[0]!.messages[1]).toEqual({ kind: "assistant", text: "answer 1" });
  });

  it("forks from a turn that is not on the page, and the fork's page is its own path", async () => {
    const fork = await h.call(routes.branches.POST, { params: { id }, body: { fromTurn: 5, inclusive: true, name: "early" } });
    expect(fork.status).toBe(201);
    const forked = await page("");
    expect(numbers(forked)).toEqual(range(1, 5));
    expect(forked.earlierTurns).toBe(0);
  });

  it.each(["?turns=0", "?turns=201", "?turns=ten", "?before=0", "?before=2147483648", "?page=2"])("answers %s with 400", async (query) => {
    const response = await h.call(routes.conversation.GET, { method: "GET", path: `/api/conversations/${id}${query}`, params: { id } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
  });
});
