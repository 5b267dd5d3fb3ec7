import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let h: Harness;
let authRoute: Route;

beforeAll(async () => {
  h = await startHarness({ env: { FORKLINE_AUTH_RATE_LIMIT: "on" } });
  authRoute = ((await import("@/app/api/auth/[...all]/route")) as unknown as Record<string, Route>).POST!;
});
afterAll(async () => {
  await h.close();
  delete process.env.FORKLINE_AUTH_RATE_LIMIT;
});

const signIn = (email: string, ip: string) =>
  h.asNewUser()(authRoute, { path: "/api/auth/sign-in/email", body: { email, password: "kettle orbit mango" }, headers: { origin: "http://localhost", "x-forkline-client-ip": ip } });

describe("Better Auth's per-address rate limit", () => {
  it("allows 3 sign-ins per 10 s per address, counted in the database, and not for other addresses", async () => {
    for (let i = 0; i < 3; i++) expect((await signIn(`spray-${i}@example.com`, "198.51.100.7")).status).toBe(401);
    const limited = await signIn("spray-3@example.com", "198.51.100.7");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("x-retry-after"))).toBeGreaterThan(0);
    expect((await signIn("spray-11@example.com", "198.51.100.8")).status).toBe(401);
    const rows = await h.testDb.db.rateLimit.findMany();
    expect(rows.find((row) => row.key.includes("198.51.100.7"))?.count).toBe(3);
  });
});
