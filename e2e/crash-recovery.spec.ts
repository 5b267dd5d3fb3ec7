import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { startFakeOpenAI, type FakeOpenAI } from "../test/fake-openai/server";
import { serverExited, signalServer, startServer, stopServer, type AppServer } from "./support/app-server";

// kill -9 of the server in the middle of a streamed reply, then a restart on the same SQLite file: the user's message
// survives, the turn is marked interrupted, the file passes SQLite's integrity check, and a retry works.
test.describe.configure({ mode: "serial" });

const dataDir = path.resolve(`test-results/crash-recovery-${randomBytes(4).toString("hex")}`);
const databaseFile = path.join(dataDir, "crash.db");

type Instance = AppServer;

/** `next start` on the crash test's own SQLite file. */
function startInstance(fake: FakeOpenAI): Promise<Instance> {
  return startServer({
    DATABASE_URL: `file:${databaseFile}`,
    OPENAI_API_KEY: "crash-key",
    OPENAI_BASE_URL: fake.url,
    FORKLINE_MODELS: "test-model",
    FORKLINE_PRICES_FILE: path.resolve("test/support/test-prices.json"),
    FORKLINE_TITLES: "heuristic",
    FORKLINE_MODEL_MAX_RETRIES: "0",
  });
}

/** A browser's cookie jar: the guest session the server hands out on the first request. */
class Client {
  readonly #cookies = new Map<string, string>();

  async fetch(url: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetch(url, {
      method: init.method ?? "GET",
      headers: { ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...(cookie ? { cookie } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const index = pair.indexOf("=");
      if (index > 0) this.#cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1));
    }
    return response;
  }
}

type Event = { event: string; data: Record<string, unknown> };

/** Reads a turn's event stream until it ends or breaks (a killed server breaks it). */
async function readStream(response: Response, onEvent?: (event: Event) => void): Promise<{ events: Event[]; broken: boolean }> {
  const events: Event[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { events, broken: false };
      buffer += decoder.decode(value, { stream: true });
      let boundary: number;
      while ((boundary = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const event = { event: /^event: (.*)$/m.exec(block)?.[1] ?? "message", data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "{}") };
        events.push(event);
        onEvent?.(event);
      }
    }
  } catch {
    return { events, broken: true };
  }
}

let fake: FakeOpenAI;
let instance: Instance | undefined;

test.beforeAll(async () => {
  fs.mkdirSync(dataDir, { recursive: true });
  fake = await startFakeOpenAI();
});

test.afterAll(async () => {
  if (instance) {
    await stopServer(instance);
  }
  await fake?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("kill -9 mid-stream: the message survives, the turn is interrupted, the database is intact, a retry works", async () => {
  test.setTimeout(240_000);
  const client = new Client();
  instance = await startInstance(fake);
  const created = await client.fetch(`${instance.url}/api/conversations`, { method: "POST", body: {} });
  expect(created.status).toBe(201);
  const id = (await created.json()).conversation.id as string;

  const words = Array.from({ length: 40 }, (_, n) => `word${n}`).join(" ");
  const message = `Tell me a long story [[reply:${words}]] [[delay:200]]`;
  const killed = instance;
  let turnId = "";
  const stream = await readStream(await client.fetch(`${killed.url}/api/conversations/${id}/turns`, { method: "POST", body: { message } }), (event) => {
    if (event.event === "turn.started") turnId = String(event.data.turnId);
    if (event.event === "text.delta" && killed.process.exitCode === null) signalServer(killed, "SIGKILL");
  });
  await serverExited(killed);
  expect(killed.process.signalCode).toBe("SIGKILL");
  expect(stream.events.map((event) => event.event)).toContain("text.delta");
  expect(stream.events.map((event) => event.event)).not.toContain("turn.completed");
  expect(turnId).not.toBe("");

  // Straight after the crash, before any restart: the turn is stuck in progress, the user's message is stored.
  const raw = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    expect(raw.prepare(`SELECT "status" FROM "Turn" WHERE "id" = ?`).get(turnId)).toEqual({ status: "in_progress" });
    const first = raw.prepare(`SELECT "role", "content" FROM "Item" WHERE "turnId" = ? ORDER BY "position" LIMIT 1`).get(turnId) as { role: string; content: string };
    expect(first.role).toBe("user");
    expect(JSON.parse(first.content).content).toBe(message);
  } finally {
    raw.close();
  }

  instance = await startInstance(fake);
  const detail = (await (await client.fetch(`${instance.url}/api/conversations/${id}`)).json()).conversation;
  expect(detail.turns).toHaveLength(1);
  expect(detail.turns[0].status).toBe("interrupted");
  expect(detail.turns[0].messages[0]).toEqual({ kind: "user", text: message });
  expect(instance.output.join("")).toContain("marked 1 unfinished turn(s) as interrupted");

  const check = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(check.pragma("foreign_key_check")).toEqual([]);
  } finally {
    check.close();
  }

  const retry = await readStream(await client.fetch(`${instance.url}/api/conversations/${id}/regenerate`, { method: "POST", body: { turnNumber: 1 } }));
  expect(retry.broken).toBe(false);
  const ending = retry.events.map((event) => event.event).filter((name) => name.startsWith("turn.") && name !== "turn.started");
  expect(ending).toEqual(["turn.completed"]);
  expect(retry.events.filter((event) => event.event === "text.delta").map((event) => event.data.delta).join("")).toBe(words);
  const after = (await (await client.fetch(`${instance.url}/api/conversations/${id}`)).json()).conversation;
  expect(after.turns).toHaveLength(1);
  expect(after.turns[0].status).toBe("completed");
  expect(after.turns[0].siblings).toMatchObject({ index: 2, count: 2 });
  expect(after.branches).toHaveLength(2);
});
