import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaSession } from "@/lib/session";
import { createTestDb, type TestDb } from "../../support/test-db";
import type { StressReport, StressTask } from "./stress-writer";

// SQLite under load from several processes: WAL, the busy timeout, in-process ordering and the retry on SQLITE_BUSY
// together must give zero "database is locked" errors and zero lost rows. PostgreSQL has no such lock: skipped there.
const onPostgres = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? "");
const WRITERS = Number(process.env.FORKLINE_STRESS_WRITERS ?? 16);
const SECONDS = Number(process.env.FORKLINE_STRESS_SECONDS ?? 30);
const SHARED = 4;

/**
 * The writer bundled into one plain ES module, so sixteen processes start in seconds rather than each compiling
 * TypeScript through tsx (on a two-core machine that alone took 15–35 s). Falls back to tsx without esbuild.
 */
async function writerEntry(): Promise<{ file: string; execArgv: string[] }> {
  const source = fileURLToPath(new URL("./stress-writer.ts", import.meta.url));
  try {
    const esbuild = await import("esbuild");
    const root = path.resolve(import.meta.dirname, "../../..");
    const outfile = path.join(root, "node_modules/.cache/forkline-stress/writer.mjs");
    await esbuild.build({
      entryPoints: [source],
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      outfile,
      tsconfig: path.join(root, "tsconfig.json"),
      logLevel: "warning",
    });
    return { file: outfile, execArgv: [] };
  } catch {
    return { file: source, execArgv: ["--import", "tsx"] };
  }
}

function nextMessage(child: ChildProcess, what: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`writer exited before ${what} (${code})`));
    child.once("exit", onExit);
    child.once("message", (message) => {
      child.off("exit", onExit);
      resolve(message);
    });
  });
}

describe.skipIf(onPostgres)("SQLite under concurrent load (separate writer processes)", () => {
  let testDb: TestDb;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await testDb?.dispose();
  });

  it(`${WRITERS} writers for ${SECONDS} s: no "database is locked", no lost rows`, async () => {
    const { db } = testDb;
    const sharedIds = Array.from({ length: SHARED }, (_, i) => `shared-${i}`);
    for (const id of sharedIds) await new PrismaSession({ sessionId: id, db }).ensureConversation();
    await new PrismaSession({ sessionId: "busy", db }).beginTurn("still running");
    const before = { items: await db.item.count(), turns: await db.turn.count(), usage: await db.turnUsage.count() };

    const entry = await writerEntry();
    const started = Date.now();
    for (let writer = 0; writer < WRITERS; writer += 1) {
      const task: StressTask = { url: testDb.url, writer, sharedIds, busyId: "busy" };
      children.push(
        fork(entry.file, [JSON.stringify(task)], {
          execArgv: entry.execArgv,
          stdio: ["ignore", "inherit", "inherit", "ipc"],
        }),
      );
    }
    await Promise.all(children.map((child) => nextMessage(child, "ready")));
    const startupMs = Date.now() - started;
    const reports = children.map((child) => nextMessage(child, "its report") as Promise<StressReport>);
    const deadline = Date.now() + SECONDS * 1000;
    for (const child of children) child.send({ go: deadline });
    const results = await Promise.all(reports);

    const sum = (key: "items" | "turns" | "usageRows" | "finished" | "refusals" | "operations" | "retries") =>
      results.reduce((total, report) => total + report[key], 0);
    const errors = results.flatMap((report) => report.errors.map((error) => ({ writer: report.writer, ...error })));
    const counted = { items: await db.item.count(), turns: await db.turn.count(), usage: await db.turnUsage.count() };
    const summary = {
      writers: WRITERS,
      seconds: SECONDS,
      startupMs,
      operations: sum("operations"),
      itemsClaimed: sum("items"),
      itemsInDb: counted.items - before.items,
      turnsClaimed: sum("turns"),
      turnsInDb: counted.turns - before.turns,
      usageClaimed: sum("usageRows"),
      usageInDb: counted.usage - before.usage,
      refusals: sum("refusals"),
      busyRetries: sum("retries"),
      errors: errors.length,
      lockedErrors: errors.filter((error) => /locked|busy|P1008|timed out/i.test(`${error.code} ${error.message}`)).length,
      slowestCallMs: Math.max(...results.map((report) => report.slowestMs)),
    };
    console.log("sqlite load test:", JSON.stringify(summary));

    expect(errors.slice(0, 5)).toEqual([]);
    expect(summary.itemsInDb).toBe(summary.itemsClaimed);
    expect(summary.turnsInDb).toBe(summary.turnsClaimed);
    expect(summary.usageInDb).toBe(summary.usageClaimed);
    expect(sum("finished")).toBe(WRITERS === 0 ? 0 : results.reduce((total, report) => total + report.usageRows, 0));
    // Nothing left running but the one turn that was started to be refused against.
    expect(await db.turn.count({ where: { status: "in_progress" } })).toBe(1);
    // Every exchange appended to a shared conversation is on its one branch's path (no head update lost).
    for (const id of sharedIds) {
      const session = new PrismaSession({ sessionId: id, db });
      const turns = await db.turn.count({ where: { conversationId: id } });
      expect((await session.getItems()).length).toBe(turns * 2);
      expect((await session.getConversationTurns()).length).toBe(turns);
    }
    expect(summary.operations).toBeGreaterThan(WRITERS * 10);
  }, (SECONDS + 60) * 1000);
});
