import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness";
import { readEvents } from "../support/sse-client";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Call = ReturnType<Harness["asNewUser"]>;

const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const REQUESTS = 1_200;

/** Small deterministic PRNG (mulberry32), so a failure reproduces with the same FUZZ_SEED. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  return { next, int, pick };
}

const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "../../etc/passwd",
  "' OR 1=1 --",
  '"; DROP TABLE "Turn"; --',
  "<script>alert(1)</script>",
  "javascript:alert(1)",
  "%00%2e%2e%2f",
  "🌳".repeat(50),
  "a".repeat(70),
  "x".repeat(5000),
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "NaN",
  "-1",
  "1e309",
  "\u202e\u0301",
];

/** Values at and past what the database stores: int4 for `Int` columns, years 1970–9999 for dates. */
const BOUNDARY_NUMBERS = [2_147_483_647, 2_147_483_648, -1, 1e300] as const;
const BOUNDARY_DATES = ["0000-01-01", "+275760-09-13", "1969-12-31", "9999-12-31", "10000-01-01"] as const;

function randomJsonValue(rand: ReturnType<typeof prng>, depth = 0): unknown {
  switch (rand.int(depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return rand.pick([true, false]);
    case 2:
      return rand.pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, 42, ...BOUNDARY_NUMBERS]);
    case 3:
    case 4:
    case 5:
      return rand.pick(NASTY_STRINGS);
    case 6:
      return Array.from({ length: rand.int(4) }, () => randomJsonValue(rand, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let n = rand.int(4); n > 0; n -= 1) object[rand.pick(["message", "title", "name", "fromTurn", "turnNumber", "inclusive", "active", "branchId", "model", "__proto__", "constructor"])] = randomJsonValue(rand, depth + 1);
      return object;
    }
  }
}

/** A body that can never be valid: malformed JSON, a non-object, a wrong type, or an unknown field. */
function invalidBody(rand: ReturnType<typeof prng>): string {
  switch (rand.int(5)) {
    case 0:
      return rand.pick(["{", "{\"message\":", "[1,2", "\u0000", "{'a':1}", "undefined", "{\"a\":1}}", "\"unterminated"]);
    case 1:
      return JSON.stringify(rand.pick([null, 1, "text", [], [{}], true]));
    case 2:
      return JSON.stringify({ message: rand.pick([1, true, null, [], {}, ["a"]]), title: rand.pick([1, false, {}, []]), fromTurn: rand.pick(["1", -1, 0, 1.5, null, ...BOUNDARY_NUMBERS]), turnNumber: rand.pick(["2", 0, -3, 2.5, ...BOUNDARY_NUMBERS]) });
    default: {
      const body = (randomJsonValue(rand) as Record<string, unknown>) ?? {};
      return JSON.stringify({ ...(typeof body === "object" && !Array.isArray(body) ? body : {}), [`fuzz_${rand.int(1000)}`]: randomJsonValue(rand) });
    }
  }
}

function weirdId(rand: ReturnType<typeof prng>): string {
  return rand.pick([...NASTY_STRINGS, "nonexistent", "A".repeat(64), "a/b", "a?b=c", "%2F", "id with space", "ünïcode"]);
}

let h: Harness;
let call: Call;
let r: Record<string, Record<string, Route>>;
let owned: { id: string; branchId: string; turnId: string };

beforeAll(async () => {
  h = await startHarness();
  call = h.asNewUser();
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
  } as unknown as Record<string, Record<string, Route>>;
  const id = ((await (await call(r.conversations!.POST!, { body: { title: "fuzz target" } })).json()) as { conversation: { id: string } }).conversation.id;
  await readEvents(await call(r.turns!.POST!, { params: { id }, body: { message: "seed turn" } }));
  const detail = ((await (await call(r.conversation!.GET!, { method: "GET", params: { id } })).json()) as { conversation: { activeBranchId: string; turns: { id: string }[] } }).conversation;
  owned = { id, branchId: detail.activeBranchId, turnId: detail.turns[0]!.id };
});
afterAll(async () => {
  await h.close();
});

async function snapshot(): Promise<string> {
  const db = h.testDb.db;
  const tables = await Promise.all([
    db.conversation.findMany({ orderBy: { id: "asc" } }),
    db.turn.findMany({ orderBy: { id: "asc" } }),
    db.item.findMany({ orderBy: { id: "asc" } }),
    db.branch.findMany({ orderBy: { id: "asc" } }),
    db.turnUsage.findMany({ orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify(tables);
}

describe("fuzzing every route with malformed input", () => {
  it(`answers ${REQUESTS} malformed requests with no 5xx and changes nothing (seed ${SEED})`, async () => {
    const rand = prng(SEED);
    const before = await snapshot();
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const id = () => (rand.next() < 0.5 ? owned.id : weirdId(rand));
    const generators: (() => { module: string; method: string; params?: Record<string, string>; path?: string; rawBody?: string })[] = [
      () => ({ module: "conversations", method: "GET", path: `/api/conversations?cursor=${encodeURIComponent(rand.pick(NASTY_STRINGS))}&q=${encodeURIComponent(rand.pick(NASTY_STRINGS))}` }),
      () => ({ module: "conversations", method: "GET", path: `/api/conversations?cursor=${Buffer.from(`${rand.pick(BOUNDARY_DATES)}T00:00:00.000Z|${owned.id}`).toString("base64url")}` }),
      // A valid body but for a turn number at or past int4: 404 or 400, never a 500 (and never a write).
      () => {
        const target = rand.pick(["branches", "regenerate", "fork"] as const);
        return { module: target, method: "POST", params: { id: owned.id }, rawBody: JSON.stringify({ [target === "branches" ? "fromTurn" : "turnNumber"]: rand.pick(BOUNDARY_NUMBERS) }) };
      },
      () => ({ module: "conversations", method: "POST", rawBody: invalidBody(rand) }),
      () => ({ module: "conversation", method: "GET", params: { id: weirdId(rand) } }),
      () => ({ module: "conversation", method: "PATCH", params: { id: id() }, rawBody: invalidBody(rand) }),
      () => ({ module: "conversation", method: "DELETE", params: { id: weirdId(rand) } }),
      () => ({ module: "turns", method: "POST", params: { id: id() }, rawBody: invalidBody(rand) }),
      () => ({ module: "stop", method: "POST", params: { id: id(), turnId: rand.next() < 0.3 ? owned.turnId : weirdId(rand) } }),
      () => ({ module: "regenerate", method: "POST", params: { id: id() }, rawBody: invalidBody(rand) }),
      () => ({ module: "fork", method: "POST", params: { id: id() }, rawBody: invalidBody(rand) }),
      () => ({ module: "branches", method: "GET", params: { id: weirdId(rand) } }),
      () => ({ module: "branches", method: "POST", params: { id: id() }, rawBody: invalidBody(rand) }),
      () => ({ module: "branch", method: "PATCH", params: { id: id(), branchId: rand.next() < 0.5 ? owned.branchId : weirdId(rand) }, rawBody: invalidBody(rand) }),
      () => ({ module: "branch", method: "DELETE", params: { id: id(), branchId: weirdId(rand) }, path: `/x?force=${encodeURIComponent(rand.pick(NASTY_STRINGS))}` }),
      () => ({ module: "usage", method: "GET", params: { id: weirdId(rand) } }),
      () => ({ module: "review", method: "GET", path: `/api/usage?from=${encodeURIComponent(rand.pick([...NASTY_STRINGS, ...BOUNDARY_DATES]))}&to=${encodeURIComponent(rand.pick([...NASTY_STRINGS, ...BOUNDARY_DATES, "2026-02-30"]))}` }),
    ];
    for (let n = 0; n < REQUESTS; n += 1) {
      const request = rand.pick(generators)();
      const response = await call(r[request.module]![request.method]!, {
        method: request.method,
        params: request.params,
        path: request.path,
        rawBody: request.rawBody,
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500) failures.push(`${request.method} ${request.module} ${JSON.stringify(request.params)} ${request.path ?? ""} ${request.rawBody ?? ""} → ${response.status} ${await response.text()}`);
      else if (response.status >= 400) {
        const body = (await response.json()) as { error?: { code?: string; message?: string } };
        if (!body.error?.code || !body.error.message) failures.push(`${request.module}: ${response.status} without { error: { code, message } }`);
      } else await response.body?.cancel();
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toBe(before);
    const counted = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(counted).toBe(REQUESTS);
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
  }, 120_000);
});

describe("NUL characters", () => {
  it("are dropped from titles, branch names and search terms instead of reaching the database", async () => {
    const renamed = await call(r.conversation!.PATCH!, { params: { id: owned.id }, body: { title: "nul\u0000title" } });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as { conversation: { title: string } }).conversation.title).toBe("nultitle");
    const search = await call(r.conversations!.GET!, { method: "GET", path: `/api/conversations?q=${encodeURIComponent("nul\u0000")}` });
    expect(search.status).toBe(200);
    const branch = await call(r.branches!.POST!, { params: { id: owned.id }, body: { fromTurn: 1, name: "b\u0000x" } });
    expect(((await branch.json()) as { branch: { name: string } }).branch.name).toBe("bx");
    const cursor = Buffer.from("2026-01-01T00:00:00.000Z|a\u0000b").toString("base64url");
    expect((await call(r.conversations!.GET!, { method: "GET", path: `/api/conversations?cursor=${cursor}` })).status).toBe(200);
  });
});
