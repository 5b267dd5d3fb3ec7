import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let h: Harness;
let auth: Route;
let conversations: Record<string, Route>;
let me: Route;
let mint: Route;

const APP = "app.forkline.localhost:3000";
const EVIL = "http://evil.forkline.localhost:3000";

beforeAll(async () => {
  h = await startHarness();
  auth = ((await import("@/app/api/auth/[...all]/route")) as unknown as Record<string, Route>).POST!;
  conversations = (await import("@/app/api/conversations/route")) as unknown as Record<string, Route>;
  me = ((await import("@/app/api/me/route")) as unknown as Record<string, Route>).GET!;
  mint = ((await import("@/app/api/me/route")) as unknown as Record<string, Route>).POST!;
});
afterAll(async () => {
  await h.close();
});

const json = async (response: Response) => (await response.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A visitor (guest) with one conversation, and an attacker's account that a hostile page would sign them in to. */
async function setting() {
  const attacker = h.asNewUser();
  const email = `attacker-${Math.random().toString(36).slice(2)}@example.com`;
  const created = await attacker(auth, { path: "/api/auth/sign-up/email", body: { email, password: "a long attacker passphrase", name: "Mallory" }, headers: { host: APP, origin: `http://${APP}` } });
  expect(created.status).toBe(200);
  const visitor = h.asNewUser();
  const guest = (await json(await visitor(mint, { headers: { host: APP } }))).user;
  const conversation = (await json(await visitor(conversations.POST!, { body: { title: "private notes" }, headers: { host: APP, origin: `http://${APP}` } }))).conversation;
  return { visitor, email, guest, conversation };
}

async function stillTheGuest(visitor: Harness["call"], guestId: string, conversationId: string) {
  const now = (await json(await visitor(me, { method: "GET", headers: { host: APP } }))).user;
  expect(now).toMatchObject({ id: guestId, isGuest: true });
  const row = await h.testDb.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
  expect(row.userId).toBe(guestId);
}

describe("auth endpoints trust only the app's own origin", () => {
  it("refuses a form-encoded sign-in (no CORS preflight) and keeps the guest and their chats", async () => {
    const { visitor, email, guest, conversation } = await setting();
    for (const [type, body] of [
      ["application/x-www-form-urlencoded", `email=${encodeURIComponent(email)}&password=a+long+attacker+passphrase`],
      ["text/plain", JSON.stringify({ email, password: "a long attacker passphrase" })],
      ["multipart/form-data; boundary=x", `--x\r\nContent-Disposition: form-data; name="email"\r\n\r\n${email}\r\n--x--`],
    ] as const) {
      const response = await visitor(auth, { path: "/api/auth/sign-in/email", rawBody: body, headers: { host: APP, "content-type": type } });
      expect(response.status, type).toBe(415);
      expect((await json(response)).error.code).toBe("unsupported_media_type");
    }
    await stillTheGuest(visitor, guest.id, conversation.id);
  });

  it("refuses a JSON sign-in from a sibling subdomain of the same site", async () => {
    const { visitor, email, guest, conversation } = await setting();
    const body = { email, password: "a long attacker passphrase" };
    const byOrigin = await visitor(auth, { path: "/api/auth/sign-in/email", body, headers: { host: APP, origin: EVIL } });
    expect(byOrigin.status).toBe(403);
    const bySite = await visitor(auth, { path: "/api/auth/sign-in/email", body, headers: { host: APP, "sec-fetch-site": "same-site" } });
    expect(bySite.status).toBe(403);
    const spoofedHost = await visitor(auth, { path: "/api/auth/sign-in/email", body, headers: { host: APP, origin: EVIL, "x-forwarded-host": "evil.forkline.localhost:3000" } });
    expect(spoofedHost.status).toBe(403);
    await stillTheGuest(visitor, guest.id, conversation.id);
  });

  it("accepts the same request from the app's own origin", async () => {
    const { visitor, email, conversation } = await setting();
    const response = await visitor(auth, { path: "/api/auth/sign-in/email", body: { email, password: "a long attacker passphrase" }, headers: { host: APP, origin: `http://${APP}`, "sec-fetch-site": "same-origin" } });
    expect(response.status).toBe(200);
    const now = (await json(await visitor(me, { method: "GET", headers: { host: APP } }))).user;
    expect(now).toMatchObject({ isGuest: false, email });
    expect((await h.testDb.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).userId).toBe(now.id);
  });

  it("applies the same rule to the app's own API", async () => {
    const visitor = h.asNewUser();
    const sibling = await visitor(conversations.POST!, { body: { title: "x" }, headers: { host: APP, origin: EVIL } });
    expect(sibling.status).toBe(403);
    const spoofed = await visitor(conversations.POST!, { body: { title: "x" }, headers: { host: APP, origin: EVIL, "x-forwarded-host": "evil.forkline.localhost:3000" } });
    expect(spoofed.status).toBe(403);
    const own = await visitor(conversations.POST!, { body: { title: "x" }, headers: { host: APP, origin: `http://${APP}` } });
    expect(own.status).toBe(201);
  });
});
