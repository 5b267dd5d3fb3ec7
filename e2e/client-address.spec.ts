import path from "node:path";
import { expect, test } from "@playwright/test";
import { startServer, stopServer, type AppServer } from "./support/app-server";

// HTTP-level checks of the production server (scripts/server.mjs): what a client says about itself in forwarding
// headers counts only when it is a proxy FORKLINE_TRUST_PROXY names.
test.describe.configure({ mode: "serial" });

const baseEnv = (name: string) => ({
  DATABASE_URL: `file:${path.resolve(`test-results/e2e-data/${name}.db`)}`,
  OPENAI_API_KEY: "",
  OPENAI_BASE_URL: "",
});

async function signInGuesses(server: AppServer, count: number, forwardedFor: (i: number) => string) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url, "x-forwarded-for": forwardedFor(i) },
      body: JSON.stringify({ email: "victim@example.com", password: `guess number ${i}` }),
    });
    statuses.push(response.status);
    await response.body?.cancel();
  }
  return statuses;
}

async function guestCookie(server: AppServer, headers: Record<string, string>) {
  const response = await fetch(`${server.url}/api/me`, { method: "POST", headers });
  await response.body?.cancel();
  return response.headers.getSetCookie().find((line) => line.startsWith("forkline.session_token=")) ?? "";
}

test.describe("no trusted proxy (browsers connect directly)", () => {
  let server: AppServer;
  test.beforeAll(async () => {
    server = await startServer(baseEnv("no-proxy"));
  });
  test.afterAll(async () => stopServer(server));

  test("a new X-Forwarded-For on every sign-in guess does not escape the rate limit", async () => {
    const statuses = await signInGuesses(server, 8, (i) => `203.0.113.${i + 1}`);
    expect(statuses.filter((status) => status === 429).length, statuses.join(",")).toBeGreaterThan(0);
  });

  test("X-Forwarded-Proto: https from a client does not make the cookie Secure", async () => {
    expect(await guestCookie(server, { "x-forwarded-proto": "https" })).not.toMatch(/;\s*Secure/i);
  });
});

test.describe("FORKLINE_TRUST_PROXY=1 (one proxy in front)", () => {
  let server: AppServer;
  test.beforeAll(async () => {
    server = await startServer({ ...baseEnv("one-proxy"), FORKLINE_TRUST_PROXY: "1" });
  });
  test.afterAll(async () => stopServer(server));

  test("the proxy's X-Forwarded-Proto decides Secure", async () => {
    expect(await guestCookie(server, { "x-forwarded-proto": "https" })).toMatch(/;\s*Secure/i);
    expect(await guestCookie(server, { "x-forwarded-proto": "http" })).not.toMatch(/;\s*Secure/i);
  });

  test("the proxy's X-Forwarded-For is the client: another client is not rate limited by the first", async () => {
    const first = await signInGuesses(server, 6, () => "198.51.100.7");
    expect(first).toContain(429);
    const other = await signInGuesses(server, 1, () => "198.51.100.8");
    expect(other).toEqual([401]);
  });
});

test("a FORKLINE_TRUST_PROXY that is not an address list stops the server with a message", async () => {
  await expect(startServer({ ...baseEnv("bad-proxy"), FORKLINE_TRUST_PROXY: "my-proxy" }, 30_000)).rejects.toThrow(/FORKLINE_TRUST_PROXY/);
});
