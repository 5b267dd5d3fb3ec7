import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaSession, SessionError, TurnBoundSession } from "@/lib/session";
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createTestDb, type TestDb } from "../../support/test-db";
import { assistant, texts, toolCall, toolResult, user } from "../../support/items";
import { addExchanges } from "./helpers";
import type { WriterOutcome, WriterTask } from "./process-writer";

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.dispose();
});

const session = (sessionId: string, extra: { historyLimit?: number } = {}) => new PrismaSession({ sessionId, db: testDb.db, ...extra });

const itemRows = (turnId: string) => testDb.db.item.findMany({ where: { turnId }, orderBy: { position: "asc" } });

describe("beginTurn", () => {
  it("stores the user message at once, as an in_progress turn on the branch head", async () => {
    const s = session("begin");
    await addExchanges(s, 1);
    const branchId = await s.getCurrentBranchId();
    const started = await s.beginTurn("q2", { model: "gpt-4o" });
    expect(started).toEqual({ turnId: expect.any(String), turnNumber: 2, branchId });
    expect(texts(await s.getItems())).toEqual(["q1", "a1", "q2"]);
    const rows = await itemRows(started.turnId);
    expect(rows.map((row) => [row.position, row.type, row.role, JSON.parse(row.content)])).toEqual([[0, "message", "user", user("q2")]]);
    const turn = await testDb.db.turn.findUniqueOrThrow({ where: { id: started.turnId } });
    expect(turn).toMatchObject({ status: "in_progress", model: "gpt-4o", depth: 2, completedAt: null, stopRequested: false });
    expect(turn.heartbeatAt).toBeInstanceOf(Date);
    expect((await s.getConversationTurns()).map((t) => [t.turn, t.status])).toEqual([
      [1, "completed"],
      [2, "in_progress"],
    ]);
  });

  it("refuses a second turn on the same branch while one runs, also through addItems", async () => {
    const s = session("busy");
    const first = await s.beginTurn("q1");
    const rowsBefore = await testDb.db.item.count();
    await expect(s.beginTurn("q2")).rejects.toMatchObject({ code: "turn_in_progress" });
    await expect(session("busy").beginTurn(user("q2"))).rejects.toBeInstanceOf(SessionError);
    await expect(s.addItems([user("q2")])).rejects.toMatchObject({ code: "turn_in_progress" });
    await expect(s.addItems([assistant("x"), user("q2")])).rejects.toMatchObject({ code: "turn_in_progress" });
    expect(await testDb.db.item.count()).toBe(rowsBefore);
    expect(texts(await s.getItems())).toEqual(["q1"]);

    expect(await s.finishTurn(first.turnId, "completed")).toBe(true);
    const second = await s.beginTurn("q2");
    expect(second.turnNumber).toBe(2);
  });

  it("runs turns on two branches at once, and makes the chosen branch active", async () => {
    const s = session("two-branches");
    await addExchanges(s, 2);
    const mainId = await s.getCurrentBranchId();
    const other = await s.createBranchFromTurn(2);
    const onMain = await s.beginTurn("q3 main", { branchId: mainId });
    expect(await s.getCurrentBranchId()).toBe(mainId);
    const onOther = await s.beginTurn("q2 other", { branchId: other });
    expect(await s.getCurrentBranchId()).toBe(other);
    expect([onMain.turnNumber, onOther.turnNumber]).toEqual([3, 2]);
    await expect(s.beginTurn("again", { branchId: mainId })).rejects.toMatchObject({ code: "turn_in_progress" });
    await expect(s.beginTurn("x", { branchId: "nope" })).rejects.toMatchObject({ code: "branch_not_found" });
  });

  it("refuses input that is not a user message", async () => {
    await expect(session("not-user").beginTurn(assistant("hi"))).rejects.toMatchObject({ code: "invalid_argument" });
  });

  it("lets exactly one of five concurrent starts on one branch through", async () => {
    const s = session("race");
    await addExchanges(s, 1);
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, n) => session("race").beginTurn(`racer ${n}`)));
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r.reason as SessionError).code)).toEqual(Array(4).fill("turn_in_progress"));
    expect(await testDb.db.turn.count({ where: { conversationId: "race" } })).toBe(2);
    expect(await s.getItems()).toHaveLength(3);
  });
});

describe("writers in separate processes (the database orders them, not the in-process lock)", () => {
  // Five `tsx` child processes start in a few seconds; leave room on a loaded machine.
  const PROCESS_TEST_TIMEOUT = 90_000;

  /** Starts one OS process per label, waits until all are connected, then releases them at once. */
  async function race(sessionId: string, action: WriterTask["action"], labels: string[]): Promise<WriterOutcome[]> {
    const children: ChildProcess[] = labels.map((label) => {
      const task: WriterTask = { url: testDb.url, sessionId, action, label };
      return fork(fileURLToPath(new URL("./process-writer.ts", import.meta.url)), [JSON.stringify(task)], {
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
    });
    try {
      await Promise.all(children.map((child) => nextMessage(child)));
      const outcomes = children.map((child) => nextMessage(child) as Promise<WriterOutcome>);
      for (const child of children) child.send("go");
      return await Promise.all(outcomes);
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill();
    }
  }

  function nextMessage(child: ChildProcess): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`writer process exited early (${code})`));
      child.once("exit", onExit);
      child.once("message", (message) => {
        child.off("exit", onExit);
        resolve(message);
      });
    });
  }

  it("lets exactly one of five concurrent starts through", async () => {
    const s = session("race-processes");
    await addExchanges(s, 1);
    const outcomes = await race("race-processes", "beginTurn", ["0", "1", "2", "3", "4"]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok).map((o) => (o.ok ? null : o.code))).toEqual(Array(4).fill("turn_in_progress"));
    expect(await testDb.db.turn.count({ where: { conversationId: "race-processes" } })).toBe(2);
    expect((await s.getConversationTurns()).map((t) => [t.turn, t.status])).toEqual([
      [1, "completed"],
      [2, "in_progress"],
    ]);
  }, PROCESS_TEST_TIMEOUT);

  it("keeps every exchange of concurrent addItems calls, one turn each, on one path", async () => {
    const s = session("append-processes");
    await addExchanges(s, 1);
    const outcomes = await race("append-processes", "addItems", ["p0", "p1", "p2", "p3", "p4"]);
    expect(outcomes).toEqual(Array(5).fill({ ok: true }));
    const items = texts(await s.getItems());
    expect(items).toHaveLength(12);
    expect(items.slice(0, 2)).toEqual(["q1", "a1"]);
    for (let i = 2; i < 12; i += 2) expect(items[i + 1]).toBe(items[i]!.replace("u", "a"));
    expect(new Set(items).size).toBe(12);
    expect(await testDb.db.turn.count({ where: { conversationId: "append-processes" } })).toBe(6);
    expect((await s.getConversationTurns()).map((t) => [t.turn, t.siblings.count])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, 1]));
  }, PROCESS_TEST_TIMEOUT);
});

describe("turnSession", () => {
  it("serves the history before the turn and stores the run's items once, skipping the stored user message", async () => {
    const s = session("bound");
    await addExchanges(s, 1);
    const started = await s.beginTurn("q2");
    const bound = s.turnSession(started.turnId);
    expect(bound).toBeInstanceOf(TurnBoundSession);
    expect(await bound.getSessionId()).toBe("bound");
    expect(texts(await bound.getItems())).toEqual(["q1", "a1"]);
    expect(texts(await bound.getItems(1))).toEqual(["a1"]);

    await bound.addItems([user("q2"), toolCall("calc", "c1"), toolResult("calc", "c1", "4"), assistant("a2")]);
    expect(texts(await s.getItems())).toEqual(["q1", "a1", "q2", "call:calc", "result:4", "a2"]);
    const rows = await itemRows(started.turnId);
    expect(rows.map((row) => [row.position, row.type])).toEqual([
      [0, "message"],
      [1, "function_call"],
      [2, "function_call_result"],
      [3, "message"],
    ]);
    expect(await testDb.db.item.count({ where: { turnId: started.turnId, role: "user" } })).toBe(1);
    // History before the turn does not change while it runs.
    expect(texts(await bound.getItems())).toEqual(["q1", "a1"]);
    expect(await s.getToolUsage()).toEqual([{ toolName: "calc", count: 1, turn: 2 }]);
  });

  it("skips the user message only once, also when the SDK stores the input first and the outputs later", async () => {
    const s = session("bound-split");
    const started = await s.beginTurn("q1");
    const bound = s.turnSession(started.turnId);
    await bound.addItems([user("q1")]);
    await bound.addItems([assistant("a1")]);
    expect(texts(await s.getItems())).toEqual(["q1", "a1"]);
    // A later user item (e.g. a follow-up within the same run) is stored.
    await bound.addItems([user("follow-up")]);
    expect(texts(await s.getItems())).toEqual(["q1", "a1", "follow-up"]);
    expect((await itemRows(started.turnId)).map((row) => row.position)).toEqual([0, 1, 2]);
  });

  it("applies historyLimit to the history before the turn without splitting a tool pair", async () => {
    const s = session("bound-limit", { historyLimit: 2 });
    await s.addItems([user("q1"), toolCall("calc", "c1"), toolResult("calc", "c1", "5"), assistant("a1")]);
    const started = await s.beginTurn("q2");
    // The latest two are [result, a1]; the result's call was cut off, so only a1 is served.
    expect(texts(await s.turnSession(started.turnId).getItems())).toEqual(["a1"]);
    expect(texts(await s.turnSession(started.turnId).getItems(3))).toEqual(["call:calc", "result:5", "a1"]);
  });

  it("ignores late writes after close", async () => {
    const s = session("bound-close");
    const started = await s.beginTurn("q1");
    const bound = s.turnSession(started.turnId);
    await s.appendToTurn(started.turnId, [assistant("partial")]);
    bound.close();
    await bound.addItems([user("q1"), assistant("late")]);
    expect(texts(await s.getItems())).toEqual(["q1", "partial"]);
  });

  it("refuses a turn of another conversation: no history, no writes, no heartbeat", async () => {
    const owner = session("owner");
    await owner.addItems([user("private question"), assistant("private answer")]);
    const started = await owner.beginTurn("secret follow-up");
    const intruder = session("intruder");
    await addExchanges(intruder, 1);
    const before = await testDb.db.item.count();

    await expect(intruder.historyBefore(started.turnId)).rejects.toMatchObject({ code: "turn_not_found" });
    await expect(intruder.turnSession(started.turnId).getItems()).rejects.toMatchObject({ code: "turn_not_found" });
    await expect(intruder.appendToTurn(started.turnId, [assistant("injected")])).rejects.toMatchObject({ code: "turn_not_found" });
    await expect(intruder.heartbeat(started.turnId)).rejects.toMatchObject({ code: "turn_not_found" });
    expect(await testDb.db.item.count()).toBe(before);
    expect(texts(await owner.getItems())).toEqual(["private question", "private answer", "secret follow-up"]);
    expect(await owner.heartbeat(started.turnId)).toEqual({ stopRequested: false });
  });

  it("refuses the history of an unknown turn", async () => {
    const s = session("bound-unknown");
    await addExchanges(s, 1);
    await expect(s.turnSession("nope").getItems()).rejects.toMatchObject({ code: "turn_not_found" });
  });
});

describe("finishTurn, requestStop and heartbeat", () => {
  it("sets the final status once", async () => {
    const s = session("finish");
    const started = await s.beginTurn("q1");
    expect(await s.finishTurn(started.turnId, "stopped")).toBe(true);
    expect(await s.finishTurn(started.turnId, "completed")).toBe(false);
    expect(await s.finishTurn(started.turnId, "failed", { code: "x", message: "y" })).toBe(false);
    const turn = await testDb.db.turn.findUniqueOrThrow({ where: { id: started.turnId } });
    expect(turn).toMatchObject({ status: "stopped", errorCode: null, heartbeatAt: null });
    expect(turn.completedAt).toBeInstanceOf(Date);
    expect(await s.finishTurn("no-such-turn", "completed")).toBe(false);
    // Another conversation cannot finish it.
    const next = await s.beginTurn("q2");
    expect(await session("someone-else").finishTurn(next.turnId, "completed")).toBe(false);
    expect((await testDb.db.turn.findUniqueOrThrow({ where: { id: next.turnId } })).status).toBe("in_progress");
  });

  it("records a failure's error on the turn", async () => {
    const s = session("failed");
    const started = await s.beginTurn("q1");
    expect(await s.finishTurn(started.turnId, "failed", { code: "model_error", message: "upstream 502" })).toBe(true);
    const [turn] = await s.getConversationTurns();
    expect(turn).toMatchObject({ status: "failed", error: { code: "model_error", message: "upstream 502" } });
  });

  it("reports a stop request through heartbeat, from any instance", async () => {
    const runner = session("stop");
    const started = await runner.beginTurn("q1");
    expect(await runner.heartbeat(started.turnId)).toEqual({ stopRequested: false });
    await session("stop").requestStop(started.turnId);
    expect(await runner.heartbeat(started.turnId)).toEqual({ stopRequested: true });
    expect(await runner.finishTurn(started.turnId, "stopped")).toBe(true);
  });

  it("refuses to stop a finished turn (turn_not_running) or an unknown one (turn_not_found)", async () => {
    const s = session("stop-finished");
    const started = await s.beginTurn("q1");
    await s.finishTurn(started.turnId, "completed");
    await expect(s.requestStop(started.turnId)).rejects.toMatchObject({ code: "turn_not_running" });
    await expect(s.requestStop("nope")).rejects.toMatchObject({ code: "turn_not_found" });
    await expect(session("other-conversation").requestStop(started.turnId)).rejects.toMatchObject({ code: "turn_not_found" });
    expect((await testDb.db.turn.findUniqueOrThrow({ where: { id: started.turnId } })).stopRequested).toBe(false);
  });
});
