import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness";
import { readEvents } from "../support/sse-client";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let h: Harness;
let r: Record<string, Record<string, Route>>;

beforeAll(async () => {
  h = await startHarness({ env: { FORKLINE_TURNS_PER_MINUTE: "0" } });
  r = {
    conversations: await import("@/app/api/conversations/route"),
    conversation: await import("@/app/api/conversations/[id]/route"),
    turns: await import("@/app/api/conversations/[id]/turns/route"),
    stop: await import("@/app/api/conversations/[id]/turns/[turnId]/stop/route"),
    regenerate: await import("@/app/api/conversations/[id]/regenerate/route"),
    fork: await import("@/app/api/conversations/[id]/fork/route"),
    branches: await import("@/app/api/conversations/[id]/branches/route"),
    branch: await import("@/app/api/conversations/[id]/branches/[branchId]/route"),
    usage: await import("@/app/api/conversations/[id]/usage/route"),
    review: await import("@/app/api/usage/route"),
    me: await import("@/app/api/me/route"),
    auth: await import("@/app/api/auth/[...all]/route"),
  } as unknown as Record<string, Record<string, Route>>;
});
afterAll(async () => {
  await h.close();
});

const json = async (response: Response) => (await response.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const route = (module: string, method: string) => r[module]![method]!;

/** Every table's rows, so "changes nothing" is checked literally. */
async function snapshot(): Promise<string> {
  const db = h.testDb.db;
  const [conversations, turns, items, branches, usage] = await Promise.all([
    db.conversation.findMany({ orderBy: { id: "asc" } }),
    db.turn.findMany({ orderBy: { id: "asc" } }),
    db.item.findMany({ orderBy: { id: "asc" } }),
    db.branch.findMany({ orderBy: { id: "asc" } }),
    db.turnUsage.findMany({ orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({ conversations, turns, items, branches, usage });
}

describe("isolation between users", () => {
  it("answers 404 on every route when user B uses user A's conversation, branch and turn ids, and changes nothing", async () => {
    const alice = h.asNewUser();
    const bob = h.asNewUser();
    const created = await json(await alice(route("conversations", "POST"), { body: { title: "alice private" } }));
    const id = created.conversation.id as string;
    await readEvents(await alice(route("turns", "POST"), { params: { id }, body: { message: "secret plan [[delay:1]]" } }));
    const branch = (await json(await alice(route("branches", "POST"), { params: { id }, body: { fromTurn: 1, inclusive: true, name: "alice-branch" } }))).branch;
    const detail = (await json(await alice(route("conversation", "GET"), { method: "GET", params: { id } }))).conversation;
    const turnId = detail.turns[0].id as string;
    const bobsOwn = (await json(await bob(route("conversations", "POST"), { body: {} }))).conversation.id as string;

    const before = await snapshot();
    const attempts: [string, string, { method?: string; params: Record<string, string>; body?: unknown; path?: string }][] = [
      ["conversation", "GET", { method: "GET", params: { id } }],
      ["conversation", "PATCH", { params: { id }, body: { title: "pwned" } }],
      ["conversation", "DELETE", { method: "DELETE", params: { id } }],
      ["turns", "POST", { params: { id }, body: { message: "hi" } }],
      ["turns", "POST", { params: { id }, body: { message: "hi", branchId: branch.id } }],
      ["stop", "POST", { params: { id, turnId } }],
      ["regenerate", "POST", { params: { id }, body: { turnNumber: 1 } }],
      ["fork", "POST", { params: { id }, body: { turnNumber: 1 } }],
      ["branches", "GET", { method: "GET", params: { id } }],
      ["branches", "POST", { params: { id }, body: { fromTurn: 1 } }],
      ["branch", "PATCH", { params: { id, branchId: branch.id }, body: { active: true } }],
      ["branch", "PATCH", { params: { id, branchId: branch.id }, body: { name: "mine" } }],
      ["branch", "DELETE", { method: "DELETE", params: { id, branchId: branch.id }, path: "/x?force=1" }],
      ["usage", "GET", { method: "GET", params: { id } }],
      // Bob's own conversation with Alice's branch and turn ids.
      ["turns", "POST", { params: { id: bobsOwn }, body: { message: "hi", branchId: branch.id } }],
      ["stop", "POST", { params: { id: bobsOwn, turnId } }],
      ["branch", "PATCH", { params: { id: bobsOwn, branchId: branch.id }, body: { active: true } }],
      ["branch", "DELETE", { method: "DELETE", params: { id: bobsOwn, branchId: branch.id } }],
    ];
    for (const [module, method, init] of attempts) {
      const response = await bob(route(module, method), init);
      expect({ module, method, params: init.params, status: response.status }).toEqual({ module, method, params: init.params, status: 404 });
    }
    const list = await json(await bob(route("conversations", "GET"), { method: "GET", path: "/api/conversations?q=secret" }));
    expect(list.conversations).toEqual([]);
    const all = await json(await bob(route("conversations", "GET"), { method: "GET", path: "/api/conversations" }));
    expect(all.conversations.map((c: { id: string }) => c.id)).toEqual([bobsOwn]);
    const review = await json(await bob(route("review", "GET"), { method: "GET", path: "/api/usage" }));
    expect(review.conversations).toEqual([]);
    expect(await snapshot()).toBe(before);
  });
});

describe("guests and accounts", () => {
  it("answers a first visit's reads as nobody, creating no user, session or cookie", async () => {
    const visitor = h.asNewUser();
    const [users, sessions] = [await h.testDb.db.user.count(), await h.testDb.db.session.count()];
    const reads: Array<[string, Record<string, string>]> = [
      ["me", {}],
      ["conversations", {}],
      ["conversation", { id: "no-such" }],
      ["branches", { id: "no-such" }],
      ["usage", { id: "no-such" }],
      ["review", {}],
    ];
    const answers: Array<[string, number, Record<string, unknown>]> = [];
    for (const [name, params] of reads) {
      for (let i = 0; i < 5; i += 1) {
        const response = await visitor(route(name, "GET"), { method: "GET", params });
        expect(response.headers.getSetCookie(), name).toEqual([]);
        if (i === 0) answers.push([name, response.status, await json(response)]);
      }
    }
    const answer = (name: string) => answers.find(([read]) => read === name)!;
    expect(answer("me")[2]).toEqual({ user: null });
    expect(answer("conversations")[2].conversations).toEqual([]);
    for (const name of ["conversation", "branches", "usage"]) expect(answer(name)[1], name).toBe(404);
    expect(await h.testDb.db.user.count()).toBe(users);
    expect(await h.testDb.db.session.count()).toBe(sessions);
  });

  it("makes exactly one guest, with a signed, HttpOnly, SameSite cookie, on a first visit's first write", async () => {
    const visitor = h.asNewUser();
    const users = await h.testDb.db.user.count();
    const response = await visitor(route("me", "POST"), {});
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((line) => line.includes("session_token"));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/session_token=[^;]+\.[^;]+/);
    const me = (await json(response)).user;
    expect(me).toMatchObject({ isGuest: true, email: null });
    const again = await visitor(route("me", "POST"), {});
    expect((await json(again)).user.id).toBe(me.id);
    expect(again.headers.getSetCookie()).toEqual([]);
    await visitor(route("conversations", "POST"), { body: { title: "first words" } });
    expect((await json(await visitor(route("me", "GET"), { method: "GET" }))).user.id).toBe(me.id);
    expect(await h.testDb.db.user.count()).toBe(users + 1);
    const writer = h.asNewUser();
    const created = await writer(route("conversations", "POST"), { body: { title: "a write without a session" } });
    expect(created.status).toBe(201);
    expect(await h.testDb.db.user.count()).toBe(users + 2);
  });

  it("refuses to mint a guest for a write from another site", async () => {
    const users = await h.testDb.db.user.count();
    const response = await h.asNewUser()(route("me", "POST"), { headers: { origin: "http://evil.example", "sec-fetch-site": "cross-site" } });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await h.testDb.db.user.count()).toBe(users);
  });

  it("rejects a tampered session cookie (a new guest is made instead)", async () => {
    const visitor = h.asNewUser();
    const first = await visitor(route("me", "POST"), {});
    const me = (await json(first)).user;
    const token = first.headers.getSetCookie().find((line) => line.includes("session_token"))!.split(";")[0]!;
    const tampered = `${token.slice(0, -3)}abc`;
    const stranger = await route("me", "POST")(new Request("http://localhost/api/me", { method: "POST", headers: { cookie: tampered } }), { params: Promise.resolve({}) });
    expect((await json(stranger)).user.id).not.toBe(me.id);
  });

  it("carries a guest's conversations over when the guest signs up, and when another guest signs in", async () => {
    const browser = h.asNewUser();
    const first = (await json(await browser(route("conversations", "POST"), { body: { title: "made as a guest" } }))).conversation.id;
    const signUp = await browser(route("auth", "POST"), {
      path: "/api/auth/sign-up/email",
      body: { email: "ada@example.com", password: "correct horse battery", name: "Ada" },
      headers: { origin: "http://localhost" },
    });
    expect(signUp.status).toBe(200);
    const me = (await json(await browser(route("me", "GET"), { method: "GET" }))).user;
    expect(me).toMatchObject({ isGuest: false, email: "ada@example.com", name: "Ada" });
    const mine = await json(await browser(route("conversations", "GET"), { method: "GET", path: "/api/conversations" }));
    expect(mine.conversations.map((c: { id: string }) => c.id)).toEqual([first]);

    const laptop = h.asNewUser();
    const second = (await json(await laptop(route("conversations", "POST"), { body: { title: "made on the laptop" } }))).conversation.id;
    const signIn = await laptop(route("auth", "POST"), {
      path: "/api/auth/sign-in/email",
      body: { email: "ada@example.com", password: "correct horse battery" },
      headers: { origin: "http://localhost" },
    });
    expect(signIn.status).toBe(200);
    const both = await json(await laptop(route("conversations", "GET"), { method: "GET", path: "/api/conversations" }));
    expect(both.conversations.map((c: { id: string }) => c.id).sort()).toEqual([first, second].sort());
    const stored = await h.testDb.db.account.findFirstOrThrow({ where: { user: { email: "ada@example.com" } } });
    expect(stored.password).not.toContain("correct horse");
    expect(stored.password?.length).toBeGreaterThan(40);
  });

  it("refuses a wrong password", async () => {
    const browser = h.asNewUser();
    const response = await browser(route("auth", "POST"), {
      path: "/api/auth/sign-in/email",
      body: { email: "ada@example.com", password: "wrong password here" },
      headers: { origin: "http://localhost" },
    });
    expect(response.status).toBe(401);
  });
});

describe("cross-site requests", () => {
  it("refuses state changes sent from another site and allows same-origin ones", async () => {
    const browser = h.asNewUser();
    await browser(route("me", "GET"), { method: "GET" });
    const before = await h.testDb.db.conversation.count();
    const evil = await browser(route("conversations", "POST"), { body: {}, headers: { origin: "https://evil.example" } });
    expect([evil.status, (await json(evil)).error.code]).toEqual([403, "cross_site_request"]);
    const fetchMeta = await browser(route("conversations", "POST"), { body: {}, headers: { "sec-fetch-site": "cross-site" } });
    expect(fetchMeta.status).toBe(403);
    expect(await h.testDb.db.conversation.count()).toBe(before);
    const same = await browser(route("conversations", "POST"), { body: {}, headers: { origin: "http://localhost", "sec-fetch-site": "same-origin" } });
    expect(same.status).toBe(201);
  });
});

describe("turn rate limit", () => {
  let limited: Harness;
  beforeAll(async () => {
    limited = await startHarness({ env: { FORKLINE_TURNS_PER_MINUTE: "2" } });
  });
  afterAll(async () => {
    await limited.close();
  });

  it("answers 429 with Retry-After past the per-user limit, without storing the message, and leaves other users alone", async () => {
    const conversations = (await import("@/app/api/conversations/route")) as unknown as Record<string, Route>;
    const turns = (await import("@/app/api/conversations/[id]/turns/route")) as unknown as Record<string, Route>;
    const user = limited.asNewUser();
    const id = (await json(await user(conversations.POST!, { body: {} }))).conversation.id;
    for (const message of ["one", "two"]) {
      expect((await readEvents(await user(turns.POST!, { params: { id }, body: { message } }))).at(-1)?.event).not.toBe("turn.failed");
    }
    const third = await user(turns.POST!, { params: { id }, body: { message: "three" } });
    expect(third.status).toBe(429);
    expect((await json(third)).error.code).toBe("rate_limited");
    const retryAfter = Number(third.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.testDb.db.turn.count({ where: { conversationId: id } })).toBe(2);

    const other = limited.asNewUser();
    const otherId = (await json(await other(conversations.POST!, { body: {} }))).conversation.id;
    const allowed = await other(turns.POST!, { params: { id: otherId }, body: { message: "mine" } });
    expect(allowed.status).toBe(200);
    expect((await readEvents(allowed)).map((event) => event.event)).toContain("turn.completed");
  });
});
