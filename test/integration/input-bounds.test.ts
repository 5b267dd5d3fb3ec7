import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness";
import { readEvents } from "../support/sse-client";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Call = ReturnType<Harness["asNewUser"]>;

let h: Harness;
let call: Call;
let id: string;
let routes: Record<string, Record<string, Route>>;

beforeAll(async () => {
  h = await startHarness();
  call = h.asNewUser();
  routes = {
    conversations: await import("@/app/api/conversations/route"),
    turns: await import("@/app/api/conversations/[id]/turns/route"),
    branches: await import("@/app/api/conversations/[id]/branches/route"),
    regenerate: await import("@/app/api/conversations/[id]/regenerate/route"),
    fork: await import("@/app/api/conversations/[id]/fork/route"),
    review: await import("@/app/api/usage/route"),
  } as unknown as Record<string, Record<string, Route>>;
  id = ((await (await call(routes.conversations!.POST!, { body: { title: "bounds" } })).json()) as { conversation: { id: string } }).conversation.id;
  await readEvents(await call(routes.turns!.POST!, { params: { id }, body: { message: "one turn" } }));
});
afterAll(async () => {
  await h.close();
});

async function errorOf(response: Response) {
  return { status: response.status, error: ((await response.json()) as { error?: { code?: string; message?: string } }).error };
}

describe("numbers and dates beyond what the database stores (issue 13 item 9)", () => {
  it("answers 400 for fromTurn 2147483648 (int4 overflow on PostgreSQL) instead of a 500", async () => {
    const result = await errorOf(await call(routes.branches!.POST!, { params: { id }, body: { fromTurn: 2_147_483_648 } }));
    expect(result).toEqual({ status: 400, error: { code: "invalid_request", message: "fromTurn: fromTurn is at most 2147483647" } });
  });

  it("answers 400 for /api/usage?from=0000-01-01 (out of PostgreSQL's timestamp range) instead of a 500", async () => {
    const result = await errorOf(await call(routes.review!.GET!, { method: "GET", path: "/api/usage?from=0000-01-01" }));
    expect(result).toEqual({ status: 400, error: { code: "invalid_request", message: "from: from is between 1970-01-01 and 9999-12-31" } });
  });

  it("accepts the int4 maximum as a value and answers not found, and rejects -1, 1e300 and huge turn numbers", async () => {
    const atMax = await call(routes.branches!.POST!, { params: { id }, body: { fromTurn: 2_147_483_647 } });
    expect(atMax.status).toBeLessThan(500);
    expect(atMax.status).not.toBe(201);
    for (const value of [-1, 1e300, 2_147_483_648]) {
      for (const [route, body] of [
        ["branches", { fromTurn: value }],
        ["regenerate", { turnNumber: value }],
        ["fork", { turnNumber: value }],
      ] as const) {
        const result = await errorOf(await call(routes[route]!.POST!, { params: { id }, body }));
        expect(result.status, `${route} ${value}`).toBe(400);
        expect(result.error?.code).toBe("invalid_request");
      }
    }
  });

  it("answers 400 for dates outside 1970–9999 and accepts the bounds themselves", async () => {
    for (const query of ["from=0000-01-01", "to=+275760-09-13", "from=1969-12-31", "to=10000-01-01"]) {
      expect((await call(routes.review!.GET!, { method: "GET", path: `/api/usage?${query}` })).status, query).toBe(400);
    }
    expect((await call(routes.review!.GET!, { method: "GET", path: "/api/usage?from=1970-01-01&to=9999-12-31" })).status).toBe(200);
  });

  it("ignores a list cursor whose timestamp is out of range instead of sending it to the database", async () => {
    for (const stamp of ["0000-01-01T00:00:00.000Z", "+275760-09-13T00:00:00.000Z"]) {
      const cursor = Buffer.from(`${stamp}|abc`).toString("base64url");
      expect((await call(routes.conversations!.GET!, { method: "GET", path: `/api/conversations?cursor=${cursor}` })).status, stamp).toBe(200);
    }
  });
});
