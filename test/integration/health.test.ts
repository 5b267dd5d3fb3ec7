import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startHarness, type Harness } from "../support/app-harness";
import { readEvents } from "../support/sse-client";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let h: Harness;
let health: () => Promise<Response>;
let turns: Route;
let conversations: Route;

beforeAll(async () => {
  h = await startHarness();
  health = (await import("@/app/api/health/route")).GET;
  turns = ((await import("@/app/api/conversations/[id]/turns/route")) as unknown as Record<string, Route>).POST!;
  conversations = ((await import("@/app/api/conversations/route")) as unknown as Record<string, Route>).POST!;
  (await import("@/lib/agent/provider-health")).resetProviderHealthForTests();
});
afterAll(async () => {
  await h.close();
});

async function report() {
  const response = await health();
  return { code: response.status, text: await response.text() };
}

async function sendTurn(message: string) {
  const id = ((await (await h.call(conversations, { body: {} })).json()) as { conversation: { id: string } }).conversation.id;
  return readEvents(await h.call(turns, { params: { id }, body: { message } }));
}

describe("GET /api/health", () => {
  it("is ok while the database answers and the provider has not failed", async () => {
    const { code, text } = await report();
    expect(code).toBe(200);
    expect(JSON.parse(text)).toEqual({
      status: "ok",
      database: { status: "ok", provider: h.testDb.provider },
      ...(h.testDb.provider === "sqlite" ? { storage: { status: "ok" } } : {}),
      model: { mode: "compatible", api: "responses", status: "untested" },
    });
  });

  it("is degraded (still 200) while the model provider is failing, and ok again after a good call", async () => {
    const failed = await sendTurn("hello [[error:503]]");
    expect(failed.map((event) => event.event)).toContain("turn.failed");
    let body = JSON.parse((await report()).text);
    expect(body).toMatchObject({ status: "degraded", model: { status: "failing" } });
    expect((await report()).code).toBe(200);

    await sendTurn("hello again");
    body = JSON.parse((await report()).text);
    expect(body).toMatchObject({ status: "ok", model: { status: "ok" } });
  });

  it("a refused request (HTTP 400) is the request's fault, not the provider's", async () => {
    await sendTurn("bad request [[error:400]]");
    expect(JSON.parse((await report()).text)).toMatchObject({ status: "ok", model: { status: "ok" } });
  });

  it("is down (503) when the database does not answer, and says nothing about why", async () => {
    const { createDbClient } = await import("@/lib/db/create-client");
    const globals = globalThis as unknown as { forklineDb?: unknown };
    const working = globals.forklineDb;
    const broken = createDbClient("postgresql://forkline:hunter2@127.0.0.1:1/secretdb");
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    globals.forklineDb = broken;
    try {
      const { code, text } = await report();
      expect(code).toBe(503);
      expect(JSON.parse(text)).toMatchObject({ status: "down", database: { status: "down", provider: "postgres" } });
      expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|secretdb|hunter2|forkline:/);
      expect(logged).toHaveBeenCalled();
    } finally {
      globals.forklineDb = working;
      logged.mockRestore();
      await broken.db.$disconnect();
    }
  });
});
