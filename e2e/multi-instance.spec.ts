import path from "node:path";
import { expect, test } from "@playwright/test";
import { startFakeOpenAI, type FakeOpenAI } from "../test/fake-openai/server";
import { readEvents } from "../test/support/sse-client";
import { startServer, stopServer, type AppServer } from "./support/app-server";

// Two `next start` processes against one PostgreSQL: everything about a conversation must be visible from both.
const databaseUrl = process.env.MULTI_INSTANCE_DATABASE_URL;
test.skip(!databaseUrl, "set MULTI_INSTANCE_DATABASE_URL (scripts/test-all.mjs does, under scripts/with-postgres.sh)");
test.describe.configure({ mode: "serial" });

type Instance = AppServer;

function startInstance(fake: FakeOpenAI): Promise<Instance> {
  return startServer({
    DATABASE_URL: databaseUrl!,
    DATABASE_POOL_SIZE: "5",
    OPENAI_API_KEY: "multi-key",
    OPENAI_BASE_URL: fake.url,
    FORKLINE_MODELS: "test-model",
    FORKLINE_PRICES_FILE: path.resolve("test/support/test-prices.json"),
    FORKLINE_TITLES: "heuristic",
    FORKLINE_MODEL_MAX_RETRIES: "0",
    FORKLINE_TURNS_PER_MINUTE: "0",
  });
}

// One person's guest session, used against both instances (sessions live in the shared database).
let cookie = "";

/** fetch with the shared session cookie and a JSON body. */
async function api(url: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { cookie, ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

interface StreamResult {
  status: number;
  events: { event: string; data: Record<string, unknown> }[];
}

/** How the turn ended (the title event may follow it on a conversation's first turn). */
const outcome = (result: StreamResult) => result.events.filter((event) => event.event.startsWith("turn.")).at(-1)?.event;

/** Posts a turn and reads its whole event stream. */
async function postTurn(base: string, id: string, body: object, onEvent?: (event: string, data: Record<string, unknown>) => void): Promise<StreamResult> {
  const response = await api(`${base}/api/conversations/${id}/turns`, { body });
  if (!response.ok) return { status: response.status, events: [] };
  const events = await readEvents(response, (event) => {
    onEvent?.(event.event, event.data);
    return false;
  });
  return { status: response.status, events };
}

let fake: FakeOpenAI;
let a: Instance;
let b: Instance;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  fake = await startFakeOpenAI();
  // Both start at once: migrations must be applied exactly once (advisory lock).
  [a, b] = await Promise.all([startInstance(fake), startInstance(fake)]);
  const me = await fetch(`${a.url}/api/me`, { method: "POST" });
  cookie = me.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
  expect(cookie).toContain("session_token");
});

test.afterAll(async () => {
  await Promise.all([a, b].map((instance) => stopServer(instance)));
  await fake?.close();
});

async function createConversation(base: string): Promise<string> {
  const response = await api(`${base}/api/conversations`, { body: {} });
  expect(response.status).toBe(201);
  return (await response.json()).conversation.id as string;
}

const detail = async (base: string, id: string) => (await (await api(`${base}/api/conversations/${id}`)).json()).conversation;

test("the active branch and a fork made through one instance are seen by the other", async () => {
  const id = await createConversation(a.url);
  expect(outcome(await postTurn(a.url, id, { message: "first [[reply:one]]" }))).toBe("turn.completed");
  const fork = await api(`${a.url}/api/conversations/${id}/branches`, { body: { fromTurn: 1, inclusive: true, name: "via-a" } });
  expect(fork.status).toBe(201);
  const forkId = (await fork.json()).branch.id;
  const seenByB = await detail(b.url, id);
  expect(seenByB.activeBranchId).toBe(forkId);
  expect(seenByB.branches.map((branch: { name: string }) => branch.name).sort()).toEqual(["main", "via-a"]);
  const main = seenByB.branches.find((branch: { name: string }) => branch.name === "main").id;
  expect((await api(`${b.url}/api/conversations/${id}/branches/${main}`, { method: "PATCH", body: { active: true } })).status).toBe(200);
  expect((await detail(a.url, id)).activeBranchId).toBe(main);
});

test("a stop request sent to the other instance stops the turn", async () => {
  const id = await createConversation(a.url);
  let stop: Promise<number> | undefined;
  const result = await postTurn(a.url, id, { message: "[[reply:w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16]] [[delay:250]]" }, (event, data) => {
    if (event === "turn.started") {
      stop = api(`${b.url}/api/conversations/${id}/turns/${String(data.turnId)}/stop`, { method: "POST" }).then((response) => response.status);
    }
  });
  expect(await stop).toBe(200);
  expect(outcome(result)).toBe("turn.stopped");
  const turn = (await detail(b.url, id)).turns[0];
  expect(turn.status).toBe("stopped");
  expect(turn.messages.map((message: { kind: string }) => message.kind)).toEqual(["user", "assistant"]);
});

test("a second turn on a busy branch through the other instance gets 409", async () => {
  const id = await createConversation(a.url);
  let second: Promise<StreamResult> | undefined;
  const first = postTurn(a.url, id, { message: "[[reply:slow and steady wins]] [[delay:200]]" }, (event) => {
    if (event === "turn.started") second = postTurn(b.url, id, { message: "me too" });
  });
  expect(outcome(await first)).toBe("turn.completed");
  expect((await second!).status).toBe(409);
  expect((await detail(a.url, id)).turns).toHaveLength(1);
});

test("concurrent turns on different branches from both instances all persist", async () => {
  const id = await createConversation(a.url);
  await postTurn(a.url, id, { message: "root" });
  const branchIds: string[] = [];
  for (const name of ["left", "right", "middle"]) {
    const response = await api(`${a.url}/api/conversations/${id}/branches`, { body: { fromTurn: 1, inclusive: true, name } });
    branchIds.push((await response.json()).branch.id);
  }
  const results = await Promise.all(
    branchIds.flatMap((branchId, index) => [postTurn(index % 2 === 0 ? a.url : b.url, id, { message: `on ${branchId} [[delay:20]]`, branchId })]),
  );
  expect(results.map(outcome)).toEqual(["turn.completed", "turn.completed", "turn.completed"]);
  const branches = (await (await api(`${b.url}/api/conversations/${id}/branches`)).json()).branches as { id: string; headTurnNumber: number }[];
  for (const branchId of branchIds) expect(branches.find((branch) => branch.id === branchId)?.headTurnNumber).toBe(2);
  const usage = await (await api(`${a.url}/api/conversations/${id}/usage`)).json();
  expect(usage.total.requests).toBe(4);
});

test("a budget is enforced by the other instance: spent through A, the crossing turn through B is refused", async () => {
  const id = await createConversation(a.url);
  // test-model input costs $2 per 1M tokens: 50,000 tokens = 100,000 micro-dollars.
  expect((await api(`${a.url}/api/conversations/${id}`, { method: "PATCH", body: { budgetMicros: 100_000 } })).status).toBe(200);
  expect(outcome(await postTurn(a.url, id, { message: "spend [[usage:in=50000,out=0]]" }))).toBe("turn.completed");
  const estimate = await api(`${b.url}/api/conversations/${id}/estimate`, { body: { draft: "one more" } });
  expect((await estimate.json()).estimate.budgets).toEqual([{ scope: "conversation", limitMicros: 100_000, spentMicros: 100_000 }]);
  const requests = fake.requests.length;
  const refused = await api(`${b.url}/api/conversations/${id}/turns`, { body: { message: "one more" } });
  expect(refused.status).toBe(402);
  const { error } = await refused.json();
  expect(error.code).toBe("budget_exceeded");
  expect(error.message).toContain("this conversation's budget of $0.10");
  expect(fake.requests.length).toBe(requests);
  expect((await detail(a.url, id)).turns).toHaveLength(1);
});
