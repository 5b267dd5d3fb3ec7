// One OS process of the SQLite load test (sqlite-concurrency.test.ts). It writes the way the app does, with three
// concurrent loops sharing one connection, until a deadline, and reports exactly what it claims to have written.
// Protocol over IPC: "ready" once connected; on { go: deadline } it writes, then sends its StressReport.
import type { AgentInputItem } from "@openai/agents";
import { createDbClient } from "../../../lib/db/create-client.ts";
import { busyRetryStats } from "../../../lib/db/busy-retry.ts";
import { PrismaSession } from "../../../lib/session/prisma-session.ts";

export interface StressTask {
  url: string;
  writer: number;
  /** Conversations every writer appends to (contention on one branch head). */
  sharedIds: string[];
  /** A conversation whose head turn is running: every beginTurn on it is refused and rolled back. */
  busyId: string;
}

export interface StressReport {
  writer: number;
  /** Item rows this writer's successful calls wrote. */
  items: number;
  turns: number;
  usageRows: number;
  /** Turns begun and finished (finishTurn returned true). */
  finished: number;
  /** Expected refusals (turn_in_progress on the busy conversation). */
  refusals: number;
  operations: number;
  /** Writes retried after SQLITE_BUSY. */
  retries: number;
  /** Longest single call, ms. */
  slowestMs: number;
  errors: { code: string | null; message: string }[];
}

const task = JSON.parse(process.argv[2] ?? "{}") as StressTask;
const { db } = createDbClient(task.url);
const user = (text: string) => ({ type: "message", role: "user", content: text }) as AgentInputItem;
const assistant = (text: string) =>
  ({ type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text }] }) as AgentInputItem;

const report: StressReport = {
  writer: task.writer,
  items: 0,
  turns: 0,
  usageRows: 0,
  finished: 0,
  refusals: 0,
  operations: 0,
  retries: 0,
  slowestMs: 0,
  errors: [],
};

/**
 * better-sqlite3 answers synchronously, so a loop of database calls runs on promise continuations alone and never lets
 * timers or I/O run. Like requests arriving over the network, each operation here starts from the event loop.
 */
const fromEventLoop = () => new Promise((resolve) => setImmediate(resolve));

async function timed<T>(operation: () => Promise<T>): Promise<T> {
  await fromEventLoop();
  const started = performance.now();
  try {
    return await operation();
  } finally {
    report.operations += 1;
    report.slowestMs = Math.max(report.slowestMs, Math.round(performance.now() - started));
  }
}

function recordError(error: unknown): void {
  report.errors.push({ code: (error as { code?: string })?.code ?? null, message: String((error as Error)?.message ?? error).slice(0, 300) });
}

/** Appends exchanges to the shared conversations: one transaction per call, contended by every writer. */
async function sharedLoop(deadline: number): Promise<void> {
  for (let n = 0; Date.now() < deadline; n += 1) {
    const session = new PrismaSession({ sessionId: task.sharedIds[n % task.sharedIds.length]!, db });
    try {
      await timed(() => session.addItems([user(`w${task.writer}-s${n}`), assistant(`reply ${n}`)]));
      report.items += 2;
      report.turns += 1;
    } catch (error) {
      recordError(error);
    }
  }
}

/** The HTTP runner's lifecycle on this writer's own conversation: begin, append, usage, heartbeat, finish. */
async function turnLoop(deadline: number): Promise<void> {
  const session = new PrismaSession({ sessionId: `own-${task.writer}`, db });
  for (let n = 0; Date.now() < deadline; n += 1) {
    try {
      const turn = await timed(() => session.beginTurn(`w${task.writer}-t${n}`, { model: "test-model" }));
      report.items += 1;
      report.turns += 1;
      await timed(() => session.appendToTurn(turn.turnId, [assistant(`answer ${n}`)]));
      report.items += 1;
      // storeRunUsage never throws (it logs); the test counts the rows to see whether any write was lost.
      await timed(() => session.storeRunUsage({ requests: 1, inputTokens: 10, cachedInputTokens: 0, outputTokens: 5, reasoningTokens: 0 }, { turnId: turn.turnId, model: "test-model" }));
      report.usageRows += 1;
      await timed(() => session.heartbeat(turn.turnId));
      if (await timed(() => session.finishTurn(turn.turnId, "completed"))) report.finished += 1;
    } catch (error) {
      recordError(error);
    }
  }
}

/** Starts that are refused: each is a transaction that rolls back while the other loops write. */
async function refusedLoop(deadline: number): Promise<void> {
  const session = new PrismaSession({ sessionId: task.busyId, db });
  while (Date.now() < deadline) {
    try {
      await timed(() => session.beginTurn(`w${task.writer} knocks`));
      recordError(new Error("beginTurn on the busy conversation was not refused"));
    } catch (error) {
      if ((error as { code?: string })?.code === "turn_in_progress") report.refusals += 1;
      else recordError(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const originalConsoleError = console.error;
console.error = (...args: unknown[]) => {
  // storeRunUsage reports its failures here; count them as errors too.
  recordError(new Error(args.map(String).join(" ")));
  originalConsoleError(...args);
};

await db.$connect();
await db.conversation.count(); // open the connection before the race starts
process.on("message", (message) => {
  const deadline = (message as { go?: number })?.go;
  if (typeof deadline !== "number") return;
  void Promise.all([sharedLoop(deadline), turnLoop(deadline), refusedLoop(deadline)]).then(() => {
    report.retries = busyRetryStats.retries;
    process.send?.(report, () => {
      void db.$disconnect().finally(() => process.exit(0));
    });
  });
});
process.send?.("ready");
