import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOVED_CONVERSATIONS_HEADER } from "@/lib/client/auth-contract";
import { startHarness, type Harness } from "../support/app-harness";
import { readEvents } from "../support/sse-client";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Caller = ReturnType<Harness["asNewUser"]>;

let h: Harness;
let r: Record<string, Record<string, Route>>;

beforeAll(async () => {
  h = await startHarness();
  r = {
    conversations: await import("@/app/api/conversations/route"),
    turns: await import("@/app/api/conversations/[id]/turns/route"),
    me: await import("@/app/api/me/route"),
    auth: await import("@/app/api/auth/[...all]/route"),
  } as unknown as Record<string, Record<string, Route>>;
});
afterAll(async () => {
  await h.close();
});

const json = async (response: Response) => (await response.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const route = (module: string, method: string) => r[module]![method]!;
let counter = 0;
const uniqueEmail = (name: string) => `${name}-${++counter}@example.com`;
const GOOD_PASSWORD = "kettle orbit mango";

function auth(caller: Caller, path: string, body: Record<string, unknown>): Promise<Response> {
  return caller(route("auth", "POST"), { path: `/api/auth${path}`, body, headers: { origin: "http://localhost" } });
}

/** The caller's user, made a guest first when it has no session (`POST /api/me`). */
async function me(caller: Caller): Promise<{ id: string; name: string; email: string | null; isGuest: boolean }> {
  return (await json(await caller(route("me", "POST"), {}))).user;
}

async function createConversations(caller: Caller, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await json(await caller(route("conversations", "POST"), { body: { title: `chat ${i}` } }))).conversation.id);
  return ids;
}

async function signUp(caller: Caller, email: string, password = GOOD_PASSWORD): Promise<Response> {
  return auth(caller, "/sign-up/email", { email, password, name: "Ada Lovelace" });
}

describe("password policy", () => {
  it("refuses the obvious on sign-up with 400 {code, message}, creating nothing, and accepts a good password", async () => {
    const visitor = h.asNewUser();
    await me(visitor);
    const email = uniqueEmail("weak");
    const refusals: [string, string][] = [
      ["password", "PASSWORD_TOO_WEAK"],
      ["12345678", "PASSWORD_TOO_WEAK"],
      ["qwertyuiop", "PASSWORD_TOO_WEAK"],
      ["          ", "PASSWORD_TOO_WEAK"],
      ["short", "PASSWORD_TOO_SHORT"],
    ];
    for (const [password, code] of refusals) {
      const response = await signUp(visitor, email, password);
      const body = await json(response);
      expect({ password, status: response.status, code: body.code }).toEqual({ password, status: 400, code });
      expect(body.message).toMatch(/\w{3,}/);
    }
    expect(await h.testDb.db.user.count({ where: { email } })).toBe(0);
    expect((await me(visitor)).isGuest).toBe(true);
    expect((await signUp(visitor, email)).status).toBe(200);
    expect(await me(visitor)).toMatchObject({ isGuest: false, email, name: "Ada Lovelace" });
  });

  it("refuses the person's own e-mail address as a password", async () => {
    const email = uniqueEmail("mirror");
    const response = await signUp(h.asNewUser(), email, email);
    expect([response.status, (await json(response)).code]).toEqual([400, "PASSWORD_TOO_WEAK"]);
  });

});

describe("sign-up of a taken e-mail", () => {
  it("answers 400 SIGN_UP_FAILED without saying the account exists, signs no one in and leaves the account alone", async () => {
    const email = uniqueEmail("taken");
    expect((await signUp(h.asNewUser(), email)).status).toBe(200);
    const visitor = h.asNewUser();
    const guestId = (await me(visitor)).id;
    const response = await signUp(visitor, email.toUpperCase(), "another fine passphrase");
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(JSON.parse(text)).toEqual({ code: "SIGN_UP_FAILED", message: "Could not create an account with these details. If you already have an account, sign in." });
    expect(text).not.toMatch(/exist/i);
    expect(await me(visitor)).toMatchObject({ id: guestId, isGuest: true });
    expect((await auth(h.asNewUser(), "/sign-in/email", { email, password: GOOD_PASSWORD })).status).toBe(200);
  });
});

describe("hand-over of a guest's conversations", () => {
  it("reports how many conversations moved when a guest signs up, and they belong to the new account", async () => {
    const guest = h.asNewUser();
    const guestId = (await me(guest)).id;
    const ids = await createConversations(guest, 3);
    const response = await signUp(guest, uniqueEmail("handover"));
    expect(response.status).toBe(200);
    expect(response.headers.get(MOVED_CONVERSATIONS_HEADER)).toBe("3");
    const account = await me(guest);
    expect(account.isGuest).toBe(false);
    const rows = await h.testDb.db.conversation.findMany({ where: { id: { in: ids } } });
    expect(rows.map((row) => row.userId)).toEqual([account.id, account.id, account.id]);
    expect(await h.testDb.db.user.count({ where: { id: guestId } })).toBe(0);
  });

  it("reports the count when a guest signs in to an existing account, which then has both sets", async () => {
    const first = h.asNewUser();
    const email = uniqueEmail("signin");
    await me(first);
    const own = await createConversations(first, 1);
    expect((await signUp(first, email)).headers.get(MOVED_CONVERSATIONS_HEADER)).toBe("1");

    const laptop = h.asNewUser();
    await me(laptop);
    const fromLaptop = await createConversations(laptop, 2);
    const response = await auth(laptop, "/sign-in/email", { email, password: GOOD_PASSWORD });
    expect(response.status).toBe(200);
    expect(response.headers.get(MOVED_CONVERSATIONS_HEADER)).toBe("2");
    const list = await json(await laptop(route("conversations", "GET"), { method: "GET", path: "/api/conversations" }));
    expect(list.conversations.map((c: { id: string }) => c.id).sort()).toEqual([...own, ...fromLaptop].sort());

    const withoutGuest = await auth(h.asNewUser(), "/sign-in/email", { email, password: GOOD_PASSWORD });
    expect([withoutGuest.status, withoutGuest.headers.get(MOVED_CONVERSATIONS_HEADER)]).toEqual([200, null]);
  });
});

describe("hand-over of a guest's settings", () => {
  it("a new account keeps the settings made as a guest; an existing account keeps its own", async () => {
    const guest = h.asNewUser();
    const guestId = (await me(guest)).id;
    await h.testDb.db.userSettings.create({ data: { userId: guestId, theme: "dark", systemPrompt: "Answer in French." } });
    await signUp(guest, uniqueEmail("settings"));
    const account = await me(guest);
    expect(await h.testDb.db.userSettings.findUnique({ where: { userId: account.id } })).toMatchObject({ theme: "dark", systemPrompt: "Answer in French." });

    const email = uniqueEmail("settings-existing");
    const owner = h.asNewUser();
    await me(owner);
    await signUp(owner, email);
    const ownerId = (await me(owner)).id;
    await h.testDb.db.userSettings.create({ data: { userId: ownerId, theme: "light", systemPrompt: "Be brief." } });
    const visitor = h.asNewUser();
    const visitorId = (await me(visitor)).id;
    await h.testDb.db.userSettings.create({ data: { userId: visitorId, theme: "dark", systemPrompt: "Be long." } });
    expect((await auth(visitor, "/sign-in/email", { email, password: GOOD_PASSWORD })).status).toBe(200);
    expect(await h.testDb.db.userSettings.findUnique({ where: { userId: ownerId } })).toMatchObject({ theme: "light", systemPrompt: "Be brief." });
    expect(await h.testDb.db.userSettings.count({ where: { userId: visitorId } })).toBe(0);
  });
});

describe("change password", () => {
  it("refuses a weak or wrong current password; afterwards the old password stops working and the new one works", async () => {
    const browser = h.asNewUser();
    const email = uniqueEmail("rotate");
    expect((await signUp(browser, email)).status).toBe(200);
    const weak = await auth(browser, "/change-password", { currentPassword: GOOD_PASSWORD, newPassword: "12345678" });
    expect([weak.status, (await json(weak)).code]).toEqual([400, "PASSWORD_TOO_WEAK"]);
    const newPassword = "lantern pebble quartz";
    const wrong = await auth(browser, "/change-password", { currentPassword: "not my password at all", newPassword });
    expect(wrong.status).toBe(400);
    const changed = await auth(browser, "/change-password", { currentPassword: GOOD_PASSWORD, newPassword, revokeOtherSessions: true });
    expect(changed.status).toBe(200);
    expect((await me(browser)).email).toBe(email);
    expect((await auth(h.asNewUser(), "/sign-in/email", { email, password: GOOD_PASSWORD })).status).toBe(401);
    expect((await auth(h.asNewUser(), "/sign-in/email", { email, password: newPassword })).status).toBe(200);
  });
});

/** Every table and column of the database, read from its catalogue (so tables added later are covered too). */
async function columnsByTable(): Promise<Map<string, string[]>> {
  const db = h.testDb.db;
  const rows =
    h.testDb.provider === "postgres"
      ? await db.$queryRawUnsafe<{ table: string; column: string }[]>(
          `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns WHERE table_schema = current_schema()`,
        )
      : await db.$queryRawUnsafe<{ table: string; column: string }[]>(
          `SELECT m.name AS "table", p.name AS "column" FROM sqlite_master m JOIN pragma_table_info(m.name) p
           WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`,
        );
  const tables = new Map<string, string[]>();
  for (const { table, column } of rows) {
    if (table === "_prisma_migrations") continue;
    tables.set(table, [...(tables.get(table) ?? []), column]);
  }
  return tables;
}

/** Per table, how many rows mention any of `values` in any column: every trace of a user, whatever its column name. */
async function rowsMentioning(values: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const placeholders = (offset: number) => values.map((_, i) => (h.testDb.provider === "postgres" ? `$${offset + i + 1}` : "?")).join(", ");
  for (const [table, columns] of await columnsByTable()) {
    const where = columns.map((column) => `CAST("${column}" AS TEXT) IN (${placeholders(0)})`).join(" OR ");
    const params = h.testDb.provider === "postgres" ? values : columns.flatMap(() => values);
    const [row] = await h.testDb.db.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS n FROM "${table}" WHERE ${where}`, ...params);
    const n = Number(row?.n ?? 0);
    if (n > 0) counts[table] = n;
  }
  return counts;
}

/** Identifiers that tie rows to a user: the user id, e-mail, and the ids of their conversations and turns. */
async function traces(userId: string): Promise<string[]> {
  const db = h.testDb.db;
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  const conversations = await db.conversation.findMany({ where: { userId }, select: { id: true } });
  const turns = await db.turn.findMany({ where: { conversationId: { in: conversations.map((c) => c.id) } }, select: { id: true } });
  return [userId, user.email, ...conversations.map((c) => c.id), ...turns.map((t) => t.id)];
}

async function userWithHistory(name: string): Promise<{ caller: Caller; id: string; email: string }> {
  const caller = h.asNewUser();
  await me(caller);
  const [id] = await createConversations(caller, 2);
  await readEvents(await caller(route("turns", "POST"), { params: { id: id! }, body: { message: `hello from ${name}` } }));
  const email = uniqueEmail(name);
  expect((await signUp(caller, email)).status).toBe(200);
  const userId = (await me(caller)).id;
  // Settings rows, once the table exists (added beside this work); every other column has a default.
  if ((await columnsByTable()).has("UserSettings")) {
    const placeholder = h.testDb.provider === "postgres" ? "$1" : "?";
    await h.testDb.db.$executeRawUnsafe(`INSERT INTO "UserSettings" ("userId") VALUES (${placeholder})`, userId);
  }
  return { caller, id: userId, email };
}

describe("delete account", () => {
  it("refuses without the right password and changes nothing", async () => {
    const alice = await userWithHistory("keeper");
    const before = await rowsMentioning(await traces(alice.id));
    const missing = await auth(alice.caller, "/delete-user", {});
    expect([missing.status, (await json(missing)).code]).toEqual([400, "PASSWORD_REQUIRED"]);
    const wrong = await auth(alice.caller, "/delete-user", { password: "not my password at all" });
    expect([wrong.status, (await json(wrong)).code]).toEqual([400, "INVALID_PASSWORD"]);
    expect(await rowsMentioning(await traces(alice.id))).toEqual(before);
    expect((await me(alice.caller)).id).toBe(alice.id);
  });

  it("with the password, leaves no row of that user in any table and other users' rows untouched", async () => {
    const alice = await userWithHistory("leaver");
    const bob = await userWithHistory("stayer");
    const aliceTraces = await traces(alice.id);
    const bobTraces = await traces(bob.id);
    const aliceRows = await rowsMentioning(aliceTraces);
    expect(Object.keys(aliceRows)).toEqual(expect.arrayContaining(["User", "Session", "Account", "Conversation", "Turn", "Item", "Branch", "TurnUsage"]));
    if ((await columnsByTable()).has("UserSettings")) expect(aliceRows.UserSettings).toBe(1);
    const bobBefore = await rowsMentioning(bobTraces);

    const response = await auth(alice.caller, "/delete-user", { password: GOOD_PASSWORD });
    expect(response.status).toBe(200);

    expect(await rowsMentioning(aliceTraces)).toEqual({});
    expect(await rowsMentioning(bobTraces)).toEqual(bobBefore);
    const next = await me(alice.caller);
    expect(next.isGuest).toBe(true);
    expect(next.id).not.toBe(alice.id);
    const list = await json(await alice.caller(route("conversations", "GET"), { method: "GET", path: "/api/conversations" }));
    expect(list.conversations).toEqual([]);
  });
});
