import { createHmac } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startHarness, type Harness } from "../support/app-harness";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Caller = ReturnType<Harness["asNewUser"]>;

let h: Harness;
let authPost: Route;
let authGet: Route;
let meRoute: Route;

beforeAll(async () => {
  h = await startHarness();
  const auth = (await import("@/app/api/auth/[...all]/route")) as unknown as Record<string, Route>;
  authPost = auth.POST!;
  authGet = auth.GET!;
  meRoute = ((await import("@/app/api/me/route")) as unknown as Record<string, Route>).GET!;
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  vi.useRealTimers();
});

const json = async (response: Response) => (await response.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const PASSWORD = "kettle orbit mango";
let counter = 0;

/** The session token a response's cookie carries (the cookie is `token.signature`). */
function cookieToken(response: Response): string | undefined {
  const line = response.headers.getSetCookie().find((entry) => entry.startsWith("forkline.session_token="));
  const value = line && decodeURIComponent(line.slice("forkline.session_token=".length).split(";")[0]!);
  return value ? value.slice(0, value.indexOf(".")) : undefined;
}

const post = (caller: Caller, path: string, body: Record<string, unknown>) => caller(authPost, { path: `/api/auth${path}`, body, headers: { origin: "http://localhost" } });
/** Who the browser is (a read: null when its cookie opens no session). */
const me = async (caller: Caller) => (await json(await caller(meRoute, { method: "GET" }))).user as { id: string; email: string | null; isGuest: boolean } | null;

async function account(): Promise<{ email: string; browser: Caller; token: string }> {
  const email = `tokens-${++counter}@example.com`;
  const browser = h.asNewUser();
  const response = await post(browser, "/sign-up/email", { email, password: PASSWORD, name: "Ada" });
  expect(response.status).toBe(200);
  return { email, browser, token: cookieToken(response)! };
}

async function storedTokens(): Promise<string[]> {
  return (await h.testDb.db.session.findMany({ select: { token: true } })).map((row) => row.token);
}

describe("session tokens are stored hashed", () => {
  it("no Session row holds a cookie's token after sign-up and sign-in, and the cookies work", async () => {
    const { email, browser, token } = await account();
    const laptop = h.asNewUser();
    const signedIn = await post(laptop, "/sign-in/email", { email, password: PASSWORD });
    expect(signedIn.status).toBe(200);
    const laptopToken = cookieToken(signedIn)!;
    const stored = await storedTokens();
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(laptopToken);
    expect(stored.every((value) => value.startsWith("h1:"))).toBe(true);
    expect(await me(browser)).toMatchObject({ email, isGuest: false });
    expect(await me(laptop)).toMatchObject({ email, isGuest: false });
  });

  it("a stored hash presented as the cookie's token (signed with the secret) opens no session", async () => {
    const { email, token } = await account();
    const stored = (await h.testDb.db.session.findMany({ where: { user: { email } }, select: { token: true } }))[0]!.token;
    const secret = (await h.testDb.db.appSetting.findUniqueOrThrow({ where: { key: "auth_secret" } })).value;
    const withCookie = async (value: string) => {
      const signed = `${value}.${createHmac("sha256", secret).update(value).digest("base64")}`;
      const request = new Request("http://localhost/api/me", { headers: { cookie: `forkline.session_token=${encodeURIComponent(signed)}` } });
      return (await json(await meRoute(request, { params: Promise.resolve({}) }))).user;
    };
    expect(await withCookie(token)).toMatchObject({ email, isGuest: false });
    expect(await withCookie(stored)).toBeNull();
  });

  it("refreshing after updateAge re-sets the cookie with the real token", async () => {
    const { email, browser, token } = await account();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 2 * 24 * 60 * 60 * 1000);
    const refreshed = await browser(authGet, { method: "GET", path: "/api/auth/get-session" });
    expect(refreshed.status).toBe(200);
    expect((await json(refreshed)).user.email).toBe(email);
    expect(cookieToken(refreshed)).toBe(token);
    expect(await storedTokens()).not.toContain(token);
    expect(await me(browser)).toMatchObject({ email, isGuest: false });
  });

  it("sign-out ends the session; revoke-other-sessions keeps only this browser's", async () => {
    const { email, browser } = await account();
    const phone = h.asNewUser();
    const tablet = h.asNewUser();
    expect((await post(phone, "/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
    expect((await post(tablet, "/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
    const revoked = await post(browser, "/revoke-other-sessions", {});
    expect(revoked.status).toBe(200);
    expect(await me(browser)).toMatchObject({ email, isGuest: false });
    expect(await me(phone)).toBeNull();
    expect(await me(tablet)).toBeNull();
    const userId = (await h.testDb.db.user.findUniqueOrThrow({ where: { email } })).id;
    expect(await h.testDb.db.session.count({ where: { userId } })).toBe(1);
    expect((await post(browser, "/sign-out", {})).status).toBe(200);
    expect(await h.testDb.db.session.count({ where: { userId } })).toBe(0);
    expect(await me(browser)).toBeNull();
  });

  it("a legacy row with a clear token still works and is upgraded to the hash", async () => {
    const { email, browser, token } = await account();
    const row = (await h.testDb.db.session.findMany({ where: { user: { email } } }))[0]!;
    await h.testDb.db.session.update({ where: { id: row.id }, data: { token } });
    expect(await me(browser)).toMatchObject({ email, isGuest: false });
    const upgraded = await h.testDb.db.session.findUniqueOrThrow({ where: { id: row.id } });
    expect(upgraded.token).not.toBe(token);
    expect(upgraded.token.startsWith("h1:")).toBe(true);
    expect(await me(browser)).toMatchObject({ email, isGuest: false });
  });
});
