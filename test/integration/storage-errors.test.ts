import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

// Read when the test database's client is created, so set before the harness starts.
const BUDGET_MS = 1_000;
process.env.FORKLINE_DB_BUSY_TIMEOUT_MS = String(BUDGET_MS);

const onPostgres = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? "");

/** Another process holding the SQLite write lock (BEGIN IMMEDIATE) until it is killed; resolves once it holds it. */
async function holdWriteLock(filePath: string): Promise<ChildProcess> {
  const code = `
    const db = require("better-sqlite3")(process.argv[1]);
    db.exec("BEGIN IMMEDIATE");
    process.stdout.write("locked\\n");
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["-e", code, filePath], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout!.setEncoding("utf8");
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: string) => {
      output += chunk;
      if (output.includes("locked\n")) resolve();
    });
    child.once("exit", (status) => reject(new Error(`lock holder exited with ${status}`)));
  });
  return child;
}

describe.skipIf(onPostgres)("SQLite that cannot take a write (issue 13 item 11)", () => {
  let h: Harness;
  let call: ReturnType<Harness["asNewUser"]>;
  let conversations: Record<string, Route>;
  let conversation: Record<string, Route>;

  beforeAll(async () => {
    h = await startHarness({ env: { FORKLINE_DB_BUSY_TIMEOUT_MS: String(BUDGET_MS) } });
    call = h.asNewUser();
    conversations = (await import("@/app/api/conversations/route")) as unknown as Record<string, Route>;
    conversation = (await import("@/app/api/conversations/[id]/route")) as unknown as Record<string, Route>;
    // The guest user exists before the database is made unwritable.
    expect((await call(conversations.POST!, { body: { title: "before" } })).status).toBe(201);
  });
  afterAll(async () => {
    await h.close();
    delete process.env.FORKLINE_DB_BUSY_TIMEOUT_MS;
  });

  it("answers 503 database_busy with Retry-After within the busy budget while another process holds the write lock, and writes nothing", async () => {
    const before = await h.testDb.db.conversation.count();
    const holder = await holdWriteLock(h.testDb.url.replace(/^file:/, ""));
    try {
      const started = Date.now();
      const response = await call(conversations.POST!, { body: { title: "while locked" } });
      const elapsed = Date.now() - started;
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("database_busy");
      expect(body.error.message).toMatch(/try again/i);
      expect(elapsed).toBeLessThan(BUDGET_MS * 1.5 + 500);
    } finally {
      holder.kill("SIGKILL");
      await once(holder, "exit");
    }
    expect(await h.testDb.db.conversation.count()).toBe(before);
    expect((await call(conversations.POST!, { body: { title: "after" } })).status).toBe(201);
  });

  it("answers 503 storage_full when the database file cannot grow, and keeps what was there", async () => {
    const created = (await (await call(conversations.POST!, { body: { title: "full" } })).json()) as { conversation: { id: string } };
    const id = created.conversation.id;
    const db = h.testDb.db;
    const count = await db.conversation.count();
    // max_page_count cannot go below the current size, so this pins the file at exactly its size.
    await db.$queryRawUnsafe("PRAGMA max_page_count = 1");
    try {
      // Random text does not fit the pages left: it needs overflow pages the file cannot add.
      const prompt = Array.from({ length: 8_000 }, () => String.fromCharCode(33 + Math.floor(Math.random() * 90))).join("");
      const patched = await call(conversation.PATCH!, { method: "PATCH", params: { id }, body: { systemPrompt: prompt } });
      expect(patched.status).toBe(503);
      expect(patched.headers.get("retry-after")).toMatch(/^\d+$/);
      const body = (await patched.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("storage_full");
      expect(body.error.message).toMatch(/disk space/i);
    } finally {
      await db.$queryRawUnsafe("PRAGMA max_page_count = 4294967294");
    }
    const row = await db.conversation.findUnique({ where: { id } });
    expect(row?.systemPrompt ?? null).toBeNull();
    expect(await db.conversation.count()).toBe(count);
  });
});

describe.skipIf(!onPostgres)("PostgreSQL with a table lock held by another session (issue 13 item 11)", () => {
  let h: Harness;
  let call: ReturnType<Harness["asNewUser"]>;
  let conversations: Record<string, Route>;

  beforeAll(async () => {
    h = await startHarness({ env: { FORKLINE_DB_BUSY_TIMEOUT_MS: String(BUDGET_MS) } });
    call = h.asNewUser();
    conversations = (await import("@/app/api/conversations/route")) as unknown as Record<string, Route>;
    expect((await call(conversations.POST!, { body: { title: "before" } })).status).toBe(201);
  });
  afterAll(async () => {
    await h.close();
    delete process.env.FORKLINE_DB_BUSY_TIMEOUT_MS;
  });

  it("answers 503 database_busy (lock_timeout, 55P03) within the busy budget and writes nothing", async () => {
    const before = await h.testDb.db.conversation.count();
    const holder = new pg.Client({ connectionString: h.testDb.url });
    await holder.connect();
    try {
      await holder.query('BEGIN; LOCK TABLE "Conversation" IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const response = await call(conversations.POST!, { body: { title: "while locked" } });
      const elapsed = Date.now() - started;
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("database_busy");
      expect(elapsed).toBeLessThan(BUDGET_MS * 1.5 + 500);
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
    expect(await h.testDb.db.conversation.count()).toBe(before);
  });
});
