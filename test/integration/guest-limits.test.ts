import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness";
import { readEvents } from "../support/sse-client";

// A client that opened a new guest at every 429 completed 625 turns in 60 s with 32 guests: every limit below holds
// per client address (the one scripts/server.mjs vouches for in `x-forkline-client-ip`) across all its guests.
type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Caller = ReturnType<Harness["asNewUser"]>;
type Routes = Record<"conversations" | "conversation" | "turns" | "regenerate" | "me" | "auth", Record<string, Route>>;

const ADDRESS = "203.0.113.7";
const OTHER_ADDRESS = "198.51.100.20";
const GOOD_PASSWORD = "kettle orbit mango";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(env: Record<string, string>): Promise<Routes> {
  h = await startHarness({
    env: { FORKLINE_TURNS_PER_MINUTE: "0", FORKLINE_GUESTS_PER_HOUR: "0", FORKLINE_GUEST_TURNS_PER_MINUTE: "0", FORKLINE_GUEST_DAILY_SPEND_USD: "0", ...env },
  });
  return {
    conversations: await import("@/app/api/conversations/route"),
    conversation: await import("@/app/api/conversations/[id]/route"),
    turns: await import("@/app/api/conversations/[id]/turns/route"),
    regenerate: await import("@/app/api/conversations/[id]/regenerate/route"),
    me: await import("@/app/api/me/route"),
    auth: await import("@/app/api/auth/[...all]/route"),
  } as unknown as Routes;
}

/** A new browser behind `address`. */
function browserAt(address: string): Caller {
  const caller = h!.asNewUser();
  return (handler, init) => caller(handler, { ...init, headers: { "x-forkline-client-ip": address, ...init.headers } });
}

const json = async (response: Response) => (await response.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function newConversation(r: Routes, caller: Caller): Promise<string> {
  const response = await caller(r.conversations.POST!, { body: {} });
  expect(response.status).toBe(201);
  return (await json(response)).conversation.id;
}

/** Starts a turn: whether its stream completed it, or the refusal. */
async function turn(r: Routes, caller: Caller, id: string, message = "hello"): Promise<{ status: number; code?: string; retryAfter: number; completed?: boolean }> {
  const response = await caller(r.turns.POST!, { params: { id }, body: { message } });
  if (response.status !== 200) return { status: response.status, code: (await json(response)).error.code, retryAfter: Number(response.headers.get("retry-after")) };
  return { status: 200, retryAfter: 0, completed: (await readEvents(response)).some((event) => event.event === "turn.completed") };
}

describe("guest creation per client address", () => {
  it("refuses the guest past FORKLINE_GUESTS_PER_HOUR with 429 and Retry-After, creating nothing; other addresses and reads are not counted", async () => {
    const r = await start({ FORKLINE_GUESTS_PER_HOUR: "3" });
    for (let i = 0; i < 5; i++) expect((await json(await browserAt(ADDRESS)(r.me.GET!, { method: "GET" }))).user).toBeNull();
    for (let i = 0; i < 3; i++) expect((await browserAt(ADDRESS)(r.me.POST!, {})).status).toBe(200);
    const users = await h!.testDb.db.user.count();

    const refused = await browserAt(ADDRESS)(r.me.POST!, {});
    expect(refused.status).toBe(429);
    expect((await json(refused)).error.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(3000);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(3600);
    expect(refused.headers.getSetCookie()).toEqual([]);
    const write = await browserAt(ADDRESS)(r.conversations.POST!, { body: {} });
    expect(write.status).toBe(429);
    expect(await h!.testDb.db.user.count()).toBe(users);
    expect(await h!.testDb.db.conversation.count()).toBe(0);

    expect((await browserAt(OTHER_ADDRESS)(r.me.POST!, {})).status).toBe(200);
    // The address is kept only as a keyed hash.
    const stored = JSON.stringify(await h!.testDb.db.clientAddressEvent.findMany());
    expect(stored).not.toContain(ADDRESS);
    expect(stored).not.toContain(OTHER_ADDRESS);
  });

});

describe("guest turns per client address", () => {
  it("a new guest does not reset the turn limit: the address's guests share FORKLINE_GUEST_TURNS_PER_MINUTE; accounts are limited per user", async () => {
    const r = await start({ FORKLINE_TURNS_PER_MINUTE: "2", FORKLINE_GUEST_TURNS_PER_MINUTE: "3" });
    const first = browserAt(ADDRESS);
    const firstId = await newConversation(r, first);
    expect((await turn(r, first, firstId)).completed).toBe(true);
    expect((await turn(r, first, firstId)).completed).toBe(true);
    expect((await turn(r, first, firstId)).code).toBe("rate_limited");

    const second = browserAt(ADDRESS);
    const secondId = await newConversation(r, second);
    expect((await turn(r, second, secondId)).completed).toBe(true);
    const refused = await turn(r, second, secondId);
    expect(refused).toMatchObject({ status: 429, code: "rate_limited" });
    expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfter).toBeLessThanOrEqual(60);
    const third = browserAt(ADDRESS);
    expect((await turn(r, third, await newConversation(r, third))).code).toBe("rate_limited");
    const regenerate = await second(r.regenerate.POST!, { params: { id: secondId }, body: { turnNumber: 1 } });
    expect(regenerate.status).toBe(429);
    expect(await h!.testDb.db.turn.count()).toBe(3);

    const elsewhere = browserAt(OTHER_ADDRESS);
    expect((await turn(r, elsewhere, await newConversation(r, elsewhere))).completed).toBe(true);
    const account = browserAt(ADDRESS);
    expect((await account(r.auth.POST!, { path: "/api/auth/sign-up/email", body: { email: "ada@example.com", password: GOOD_PASSWORD, name: "Ada" }, headers: { origin: "http://localhost" } })).status).toBe(200);
    expect((await turn(r, account, await newConversation(r, account))).completed).toBe(true);
  });

  it("does not limit by address when no address is known (the app runs without scripts/server.mjs)", async () => {
    const r = await start({ FORKLINE_GUESTS_PER_HOUR: "1", FORKLINE_GUEST_TURNS_PER_MINUTE: "1" });
    for (let i = 0; i < 3; i++) {
      const browser = h!.asNewUser();
      expect((await turn(r, browser, await newConversation(r, browser))).completed).toBe(true);
    }
    expect(await h!.testDb.db.clientAddressEvent.count()).toBe(0);
  });

});

describe("guest spend per client address", () => {
  it("refuses a guest turn with 402 budget_exceeded once the address's guests spent FORKLINE_GUEST_DAILY_SPEND_USD, storing nothing; accounts are not capped", async () => {
    const r = await start({ FORKLINE_GUEST_DAILY_SPEND_USD: "0.00001" });
    const first = browserAt(ADDRESS);
    expect((await turn(r, first, await newConversation(r, first))).completed).toBe(true);
    const spent = await h!.testDb.db.turnUsage.aggregate({ _sum: { costMicros: true } });
    expect(spent._sum.costMicros).toBeGreaterThanOrEqual(10);

    const next = browserAt(ADDRESS);
    const nextId = await newConversation(r, next);
    const refused = await next(r.turns.POST!, { params: { id: nextId }, body: { message: "one more" } });
    expect(refused.status).toBe(402);
    const body = await json(refused);
    expect(body.error.code).toBe("budget_exceeded");
    expect(body.error.message).toMatch(/Sign up/);
    expect(await h!.testDb.db.turn.count({ where: { conversationId: nextId } })).toBe(0);

    const elsewhere = browserAt(OTHER_ADDRESS);
    expect((await turn(r, elsewhere, await newConversation(r, elsewhere))).completed).toBe(true);
    const account = browserAt(ADDRESS);
    expect((await account(r.auth.POST!, { path: "/api/auth/sign-up/email", body: { email: "grace@example.com", password: GOOD_PASSWORD, name: "Grace" }, headers: { origin: "http://localhost" } })).status).toBe(200);
    expect((await turn(r, account, await newConversation(r, account))).completed).toBe(true);
  });

  it("signing the spending guest up does not give the address's daily spend back", async () => {
    const r = await start({ FORKLINE_GUEST_DAILY_SPEND_USD: "0.00001" });
    const guest = browserAt(ADDRESS);
    expect((await turn(r, guest, await newConversation(r, guest))).completed).toBe(true);
    const signUp = await guest(r.auth.POST!, { path: "/api/auth/sign-up/email", body: { email: "ada@example.com", password: GOOD_PASSWORD, name: "Ada" }, headers: { origin: "http://localhost" } });
    expect(signUp.status).toBe(200);
    const ada = await h!.testDb.db.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    // The guest's conversation and its spend moved to the account.
    expect(await h!.testDb.db.conversation.count({ where: { userId: ada.id } })).toBe(1);
    expect(await h!.testDb.db.turnUsage.count({ where: { userId: ada.id } })).toBeGreaterThan(0);

    const next = browserAt(ADDRESS);
    expect(await turn(r, next, await newConversation(r, next))).toMatchObject({ status: 402, code: "budget_exceeded" });
  });

  it("deleting the spent conversation does not give the address's daily spend back (it is read from the ledger)", async () => {
    const r = await start({ FORKLINE_GUEST_DAILY_SPEND_USD: "0.00001" });
    const guest = browserAt(ADDRESS);
    const spentId = await newConversation(r, guest);
    expect((await turn(r, guest, spentId)).completed).toBe(true);
    expect((await guest(r.conversation.DELETE!, { method: "DELETE", params: { id: spentId } })).status).toBe(204);
    expect(await h!.testDb.db.turn.count({ where: { conversationId: spentId } })).toBe(0);

    const next = browserAt(ADDRESS);
    expect(await turn(r, next, await newConversation(r, next))).toMatchObject({ status: 402, code: "budget_exceeded" });
  });
});
