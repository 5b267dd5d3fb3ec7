import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startHarness, type Harness } from "../support/app-harness";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let h: Harness;
let authRoute: Route;

beforeAll(async () => {
  h = await startHarness();
  authRoute = ((await import("@/app/api/auth/[...all]/route")) as unknown as Record<string, Route>).POST!;
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
let address = 0;
const nextAddress = () => `203.0.113.${(++address % 250) + 1}`;

async function newAccount(): Promise<string> {
  const email = `backoff-${++counter}@example.com`;
  const response = await h.asNewUser()(authRoute, { path: "/api/auth/sign-up/email", body: { email, password: PASSWORD, name: "Ada" }, headers: { origin: "http://localhost" } });
  expect(response.status).toBe(200);
  return email;
}

/** A sign-in from a fresh browser at a fresh client address, as a guesser rotating addresses would send it. */
function signIn(email: string, password: string): Promise<Response> {
  return h.asNewUser()(authRoute, { path: "/api/auth/sign-in/email", body: { email, password }, headers: { origin: "http://localhost", "x-forkline-client-ip": nextAddress() } });
}

async function expectRefused(response: Response, retryAfterS: number) {
  expect(response.status).toBe(429);
  expect(response.headers.get("retry-after")).toBe(String(retryAfterS));
  const body = await json(response);
  expect(body.code).toBe("TOO_MANY_ATTEMPTS");
  expect(body.message).toContain(`${retryAfterS} seconds`);
  expect(response.headers.getSetCookie().some((line) => line.startsWith("forkline.session_token="))).toBe(false);
}

describe("per-account sign-in backoff", () => {
  it("refuses the 6th guess from rotating addresses, and even the right password, until the delay is over", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
    const email = await newAccount();
    for (let i = 1; i <= 5; i++) expect((await signIn(email, `wrong guess ${i}`)).status).toBe(401);
    await expectRefused(await signIn(email, "wrong guess 6"), 30);
    await expectRefused(await signIn(email, PASSWORD), 30);
    vi.setSystemTime(new Date("2030-01-01T00:00:20Z"));
    await expectRefused(await signIn(email.toUpperCase(), PASSWORD), 10);

    vi.setSystemTime(new Date("2030-01-01T00:00:31Z"));
    const ok = await signIn(email, PASSWORD);
    expect(ok.status).toBe(200);
    // The success reset the count: five more guesses are checked (401) before the next refusal, again of 30 s.
    for (let i = 1; i <= 5; i++) expect((await signIn(email, `wrong again ${i}`)).status).toBe(401);
    await expectRefused(await signIn(email, PASSWORD), 30);
  });

  it("doubles the delay for each lockout without a success in between", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-02-01T00:00:00Z"));
    const email = await newAccount();
    for (let i = 1; i <= 5; i++) expect((await signIn(email, `guess ${i}`)).status).toBe(401);
    await expectRefused(await signIn(email, "guess 6"), 30);
    vi.setSystemTime(new Date("2030-02-01T00:00:30Z"));
    for (let i = 1; i <= 5; i++) expect((await signIn(email, `guess b${i}`)).status).toBe(401);
    await expectRefused(await signIn(email, "guess b6"), 60);
  });

  it("locks an e-mail with no account the same way (no hint which exists), storing no address", async () => {
    const email = `nobody-${++counter}@example.com`;
    for (let i = 1; i <= 5; i++) expect((await signIn(email, `guess ${i}`)).status).toBe(401);
    await expectRefused(await signIn(email, "guess 6"), 30);
    const rows = await h.testDb.db.signInThrottle.findMany();
    expect(rows.some((row) => row.key.includes("nobody") || row.key.includes("@"))).toBe(false);
  });

  it("counts concurrent guesses: a burst of 20 gets at most 5 checked", async () => {
    const email = await newAccount();
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(email, `burst ${i}`)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(15);
  });

  it("is shared by two app instances on one database", async () => {
    const { getAuth } = await import("@/lib/auth/auth");
    const globals = globalThis as unknown as { forklineAuth?: unknown };
    const first = await getAuth();
    globals.forklineAuth = undefined;
    const second = await getAuth();
    expect(second).not.toBe(first);
    const email = await newAccount();
    const attempt = (instance: typeof first, password: string) =>
      instance.handler(
        new Request("http://localhost/api/auth/sign-in/email", {
          method: "POST",
          body: JSON.stringify({ email, password }),
          headers: { "content-type": "application/json", origin: "http://localhost", "x-forkline-client-ip": nextAddress() },
        }),
      );
    for (let i = 1; i <= 3; i++) expect((await attempt(first, `guess ${i}`)).status).toBe(401);
    for (let i = 4; i <= 5; i++) expect((await attempt(second, `guess ${i}`)).status).toBe(401);
    expect((await attempt(first, PASSWORD)).status).toBe(429);
    expect((await attempt(second, PASSWORD)).status).toBe(429);
  });
});
