import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let h: Harness;
let me: Route;
let auth: Route;
let resetEnv: () => void;

beforeAll(async () => {
  h = await startHarness();
  me = ((await import("@/app/api/me/route")) as unknown as Record<string, Route>).POST!;
  auth = ((await import("@/app/api/auth/[...all]/route")) as unknown as Record<string, Route>).GET!;
  resetEnv = (await import("@/lib/env")).resetEnvForTests;
});
afterEach(() => {
  delete process.env.FORKLINE_TRUST_PROXY;
  delete process.env.FORKLINE_PUBLIC_URL;
  resetEnv();
});
afterAll(async () => {
  await h.close();
});

const noParams = { params: Promise.resolve({}) };

async function visit(headers: Record<string, string> = {}, url = "http://forkline.test:3000/api/me") {
  const response = await me(new Request(url, { method: "POST", headers: { host: new URL(url).host, ...headers } }), noParams);
  const body = (await response.json()) as { user: { id: string } };
  return { response, userId: body.user.id, setCookies: response.headers.getSetCookie() };
}

function sessionCookie(setCookies: string[]): string {
  const line = setCookies.find((cookie) => cookie.startsWith("forkline.session_token="));
  if (!line) throw new Error(`no forkline.session_token in ${JSON.stringify(setCookies)}`);
  return line;
}

const valueOf = (setCookie: string) => setCookie.slice(setCookie.indexOf("=") + 1, setCookie.indexOf(";"));
const isSecure = (setCookie: string) => /;\s*secure(;|$)/i.test(setCookie);

describe("session cookie over http and https", () => {
  it("names the cookie forkline.session_token without Secure over plain http on a LAN host name", async () => {
    const { setCookies } = await visit();
    const cookie = sessionCookie(setCookies);
    expect(isSecure(cookie)).toBe(false);
    expect(setCookies.some((line) => line.startsWith("__Secure-"))).toBe(false);
  });

  it("ignores X-Forwarded-Proto unless the proxy is trusted", async () => {
    const untrusted = await visit({ "x-forwarded-proto": "https" });
    expect(isSecure(sessionCookie(untrusted.setCookies))).toBe(false);

    process.env.FORKLINE_TRUST_PROXY = "1";
    resetEnv();
    const trusted = await visit({ "x-forwarded-proto": "https" });
    expect(isSecure(sessionCookie(trusted.setCookies))).toBe(true);
    const trustedHttp = await visit({ "x-forwarded-proto": "http" });
    expect(isSecure(sessionCookie(trustedHttp.setCookies))).toBe(false);
  });

  it("marks cookies Secure when the configured public URL is https", async () => {
    process.env.FORKLINE_PUBLIC_URL = "https://chat.example.com";
    resetEnv();
    const { setCookies } = await visit();
    expect(isSecure(sessionCookie(setCookies))).toBe(true);
  });

  it("marks Better Auth's own cookies (sign-out clears them) the same way", async () => {
    process.env.FORKLINE_TRUST_PROXY = "1";
    resetEnv();
    const guest = await visit({ "x-forwarded-proto": "https" });
    const cookie = `forkline.session_token=${valueOf(sessionCookie(guest.setCookies))}`;
    const session = await auth(new Request("http://forkline.test:3000/api/auth/get-session", { headers: { host: "forkline.test:3000", cookie, "x-forwarded-proto": "https" } }), noParams);
    expect(((await session.json()) as { user: { id: string } }).user.id).toBe(guest.userId);
  });
});

describe("cookies from earlier versions", () => {
  for (const legacyName of ["__Secure-better-auth.session_token", "better-auth.session_token"]) {
    it(`keeps the guest whose browser still has ${legacyName}, and moves it to the current name`, async () => {
      const guest = await visit();
      const value = valueOf(sessionCookie(guest.setCookies));
      const returning = await visit({ cookie: `${legacyName}=${value}` });
      expect(returning.userId).toBe(guest.userId);
      expect(valueOf(sessionCookie(returning.setCookies))).toBe(value);
      for (const name of ["__Secure-better-auth.session_token", "better-auth.session_token"]) {
        expect(returning.setCookies.find((line) => line.startsWith(`${name}=;`))).toMatch(/Max-Age=0/);
      }
      const next = await visit({ cookie: `forkline.session_token=${value}` });
      expect(next.userId).toBe(guest.userId);
      expect(next.setCookies).toEqual([]);
    });
  }

  it("prefers the current cookie over a stale legacy one", async () => {
    const current = await visit();
    const other = await visit();
    const value = valueOf(sessionCookie(current.setCookies));
    const staleValue = valueOf(sessionCookie(other.setCookies));
    const both = await visit({ cookie: `better-auth.session_token=${staleValue}; forkline.session_token=${value}` });
    expect(both.userId).toBe(current.userId);
  });
});
