import type { AgentInputItem } from "@openai/agents";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { HistoryOperationConflictError, HistorySuffixMismatchError, PrismaSession } from "@/lib/session";
import { createTestDb, type TestDb } from "../../support/test-db";
import { assistant, texts, toolCall, toolResult, user } from "../../support/items";
import { addExchanges } from "./helpers";

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.dispose();
});

const session = (sessionId: string) => new PrismaSession({ sessionId, db: testDb.db });
const globalDb = globalThis as { forklineDb?: { db: { $disconnect(): Promise<void> } } };

/** Forgets the app's process-wide client, so the next session without db creates it anew. */
async function resetDefaultClient(): Promise<void> {
  await globalDb.forklineDb?.db.$disconnect();
  delete globalDb.forklineDb;
}

async function itemRow(conversationId: string, text: string) {
  const items = await testDb.db.item.findMany({ where: { turn: { conversationId } }, orderBy: [{ turnId: "asc" }, { position: "asc" }] });
  const row = items.find((item) => item.content.includes(text));
  if (!row) throw new Error(`no item containing ${text}`);
  return row;
}

describe("the default client", () => {
  const saved = process.env.DATABASE_URL;
  afterEach(async () => {
    await resetDefaultClient();
    process.env.DATABASE_URL = saved;
  });

  it("without db, a session uses the app's client for DATABASE_URL", async () => {
    delete globalDb.forklineDb;
    process.env.DATABASE_URL = testDb.url;
    const s = new PrismaSession({ sessionId: "default-db" });
    await s.addItems([user("stored through the default client"), assistant("ok")]);
    expect(texts(await s.getItems())).toEqual(["stored through the default client", "ok"]);
    expect(await testDb.db.item.count({ where: { turn: { conversationId: "default-db" } } })).toBe(2);
    // A caller that passes db never loads the app's client.
    await resetDefaultClient();
    await session("explicit-db").addItems([user("x")]);
    expect(globalDb.forklineDb).toBeUndefined();
  });
});

describe("first write", () => {
  it("is one transaction: when storing the items fails, no empty conversation stays behind", async () => {
    const unserialisable = { type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: 1n }] } as unknown as AgentInputItem;
    await expect(session("first-write").addItems([user("hello"), unserialisable])).rejects.toThrow(/BigInt/);
    expect(await testDb.db.conversation.count({ where: { id: "first-write" } })).toBe(0);
    expect(await testDb.db.branch.count({ where: { conversationId: "first-write" } })).toBe(0);
  });
});

describe("damaged rows", () => {
  for (const [label, content] of [
    ["JSON that does not parse", '{"type":"message","role":"assist'],
    ["valid JSON that is not an item", "42"],
    ["an object that is no SDK item", '{"type":"message","role":"robot","content":7}'],
  ] as const) {
    it(`skips ${label} with one warning naming conversation, turn and position; popItem removes it`, async () => {
      const id = `corrupt-${label.length}`;
      const s = session(id);
      await s.addItems([user("q1"), assistant("a1"), user("q2"), assistant("a2")]);
      const bad = await itemRow(id, "a1");
      await testDb.db.item.update({ where: { id: bad.id }, data: { content } });
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      try {
        expect(texts(await s.getItems())).toEqual(["q1", "q2", "a2"]);
        expect(warn).toHaveBeenCalledTimes(1);
        expect(String(warn.mock.calls[0]?.[0])).toContain(`corrupt_item: conversation ${id}, turn ${bad.turnId}, position 1`);
        const turns = await s.getConversationTurns();
        expect(turns.map((turn) => turn.fullContent)).toEqual(["q1", "q2"]);
        const entries = await s.getPathItems();
        expect(entries.filter((entry) => entry.item === null)).toEqual([
          { turnId: bad.turnId, position: 1, item: null, unreadable: expect.any(String) },
        ]);
        // Pop the newest items down to the bad row: it goes with the pop that reaches it.
        expect(texts([(await s.popItem())!])).toEqual(["a2"]);
        expect(texts([(await s.popItem())!])).toEqual(["q2"]);
        expect(texts([(await s.popItem())!])).toEqual(["q1"]);
        expect(await testDb.db.item.count({ where: { id: bad.id } })).toBe(0);
        expect(await s.popItem()).toBeUndefined();
      } finally {
        warn.mockRestore();
      }
    });
  }
});

describe("getToolUsage", () => {
  it("keys calls by their full name and counts built-in calls by type", async () => {
    const s = session("tools-full");
    const hosted = (name: string, providerData: Record<string, unknown> = {}) =>
      ({ type: "hosted_tool_call", name, status: "completed", providerData }) as AgentInputItem;
    await s.addItems([
      user("look them up"),
      { ...toolCall("lookup_account", "c1"), namespace: "crm" } as AgentInputItem,
      toolResult("lookup_account", "c1", "crm row"),
      { ...toolCall("lookup_account", "c2"), namespace: "billing" } as AgentInputItem,
      toolResult("lookup_account", "c2", "billing row"),
      toolCall("calculator", "c3"),
      hosted("web_search_call"),
      hosted("web_search_call"),
      hosted("file_search_call"),
      hosted("code_interpreter_call"),
      hosted("mcp_call", { type: "mcp_call", server_label: "github", name: "search_issues" }),
      hosted("mcp_list_tools", { type: "mcp_list_tools", server_label: "github" }),
      { type: "computer_call", callId: "k1", status: "completed", action: { type: "screenshot" } } as AgentInputItem,
      { type: "tool_search_call", arguments: { query: "x" }, status: "completed" } as AgentInputItem,
      assistant("done"),
    ]);
    expect(await s.getToolUsage()).toEqual([
      { toolName: "billing.lookup_account", count: 1, turn: 1 },
      { toolName: "calculator", count: 1, turn: 1 },
      { toolName: "code_interpreter_call", count: 1, turn: 1 },
      { toolName: "computer_call", count: 1, turn: 1 },
      { toolName: "crm.lookup_account", count: 1, turn: 1 },
      { toolName: "file_search_call", count: 1, turn: 1 },
      { toolName: "mcp:github/search_issues", count: 1, turn: 1 },
      { toolName: "tool_search_call", count: 1, turn: 1 },
      { toolName: "web_search_call", count: 2, turn: 1 },
    ]);
  });
});

describe("forks from an explicit base, and race-free branch state", () => {
  it("two concurrent edits of the same turn make two sibling branches", async () => {
    const s = session("two-tabs");
    await addExchanges(s, 4);
    const main = await s.getCurrentBranchId();
    const [tabA, tabB] = await Promise.all([
      session("two-tabs").createBranchFromTurn(4, { fromBranchId: main }),
      session("two-tabs").createBranchFromTurn(4, { fromBranchId: main }),
    ]);
    expect(tabA).not.toBe(tabB);
    await session("two-tabs").beginTurn("edit A", { branchId: tabA });
    await session("two-tabs").beginTurn("edit B", { branchId: tabB });
    const turns = await s.getConversationTurns(tabB);
    expect(turns.at(-1)).toMatchObject({ turn: 4, fullContent: "edit B", siblings: { index: 3, count: 3 } });
  });

  it("a fork from another branch than the active one reads that branch", async () => {
    const s = session("fork-base");
    await addExchanges(s, 3);
    const main = await s.getCurrentBranchId();
    const side = await s.createBranchFromTurn(2, { name: "side", inclusive: true });
    await s.addItems([user("side q3"), assistant("side a3")]);
    await s.switchToBranch(main);
    const fromSide = await s.createBranchFromTurn(3, { fromBranchId: side, inclusive: true, name: "from side" });
    expect(texts(await s.getItems())).toEqual(["q1", "a1", "q2", "a2", "side q3", "side a3"]);
    expect(fromSide).not.toBe(side);
  });

  it("switching, clearing and deleting concurrently never leaves the conversation on a branch that does not exist", async () => {
    const s = session("race");
    await addExchanges(s, 3);
    const main = await s.getCurrentBranchId();
    const keep = await s.createBranchFromTurn(3, { name: "keep", inclusive: true });
    for (let round = 0; round < 8; round += 1) {
      const branch = await s.createBranchFromTurn(2, { name: `r${round}`, fromBranchId: keep });
      await s.switchToBranch(main);
      await Promise.allSettled([
        session("race").switchToBranch(branch),
        session("race").deleteBranch(branch, { force: true }),
        session("race").clearSession(),
        session("race").switchToBranch(branch),
      ]);
      const conversation = await testDb.db.conversation.findUniqueOrThrow({ where: { id: "race" } });
      const active = await testDb.db.branch.findFirst({ where: { id: conversation.activeBranchId ?? "", conversationId: "race" } });
      expect(active).not.toBeNull();
    }
  });

  it("points the conversation at a branch only in the statement that checks it exists", async () => {
    const s = session("switch-atomic");
    await addExchanges(s, 2);
    const main = await s.getCurrentBranchId();
    const doomed = await s.createBranchFromTurn(1, { name: "doomed" });
    await s.deleteBranch(doomed, { force: true });
    // What a racing switch does after its lookup succeeded and the delete won: the conditional update changes nothing.
    const { sqlStoreFor, setActiveBranch } = await import("@/lib/db/session");
    expect(await setActiveBranch(await sqlStoreFor(testDb.db), { conversationId: "switch-atomic", branchId: doomed })).toBe(false);
    expect((await testDb.db.conversation.findUniqueOrThrow({ where: { id: "switch-atomic" } })).activeBranchId).toBe(main);
    await expect(s.switchToBranch(doomed)).rejects.toMatchObject({ code: "branch_not_found" });
  });
});

describe("compaction nodes", () => {
  it("replaceHistoryWithCompaction records a node: replay starts there, raw turns and other branches stay", async () => {
    const s = session("node");
    await addExchanges(s, 5);
    const main = await s.getCurrentBranchId();
    const early = await s.createBranchFromTurn(3, { name: "early", inclusive: true });
    await s.switchToBranch(main);
    await s.replaceHistoryWithCompaction([{ type: "compaction", encrypted_content: "summary-of-1-5" } as AgentInputItem, assistant("a5")]);
    expect(texts(await s.getItems())).toEqual(["compaction", "a5"]);
    await s.addItems([user("q6"), assistant("a6")]);
    expect(texts(await s.getItems())).toEqual(["compaction", "a5", "q6", "a6"]);
    expect((await s.getConversationTurns()).map((turn) => [turn.turn, turn.fullContent])).toEqual([
      [1, "q1"],
      [2, "q2"],
      [3, "q3"],
      [4, "q4"],
      [5, "q5"],
      [6, "q6"],
    ]);
    // An edit of turn 6 replays from the node; a fork before it sees everything.
    await s.createBranchFromTurn(6, { name: "edit-6" });
    expect(texts(await s.getItems())).toEqual(["compaction", "a5"]);
    await s.switchToBranch(early);
    expect(texts(await s.getItems())).toEqual(["q1", "a1", "q2", "a2", "q3", "a3"]);
    await s.switchToBranch(main);
    await s.createBranchFromTurn(4, { name: "before-node", inclusive: true });
    expect(texts(await s.getItems())).toHaveLength(8);
  });
});

describe("applyHistoryTransaction", () => {
  it("applies a retried append_items once, and refuses the same id with another transaction", async () => {
    const s = session("tx-append");
    await s.addItems([user("q1")]);
    const args = { operationId: "op-1", transaction: { type: "append_items" as const, items: [assistant("a1")] } };
    await s.applyHistoryTransaction(args);
    await s.applyHistoryTransaction(structuredClone(args));
    expect(texts(await s.getItems())).toEqual(["q1", "a1"]);
    await expect(s.applyHistoryTransaction({ operationId: "op-1", transaction: { type: "append_items", items: [assistant("other")] } })).rejects.toThrow(
      HistoryOperationConflictError,
    );
    expect(texts(await s.getItems())).toEqual(["q1", "a1"]);
  });

  it("replace_suffix swaps the matching suffix atomically and refuses a stale one without changing anything", async () => {
    const s = session("tx-suffix");
    await s.addItems([user("q1"), assistant("a1"), user("q2"), assistant("draft")]);
    const side = await s.createBranchFromTurn(2, { name: "side", inclusive: true });
    await s.switchToBranch((await s.listBranches()).find((branch) => branch.name === "main")!.id);
    await expect(
      s.applyHistoryTransaction({ operationId: "stale", transaction: { type: "replace_suffix", expectedSuffix: [assistant("not there")], replacement: [assistant("x")] } }),
    ).rejects.toThrow(HistorySuffixMismatchError);
    expect(texts(await s.getItems())).toEqual(["q1", "a1", "q2", "draft"]);
    await s.applyHistoryTransaction({ operationId: "fix", transaction: { type: "replace_suffix", expectedSuffix: [assistant("draft")], replacement: [assistant("final")] } });
    expect(texts(await s.getItems())).toEqual(["q1", "a1", "q2", "final"]);
    await s.switchToBranch(side);
    expect(texts(await s.getItems())).toEqual(["q1", "a1", "q2", "draft"]);
    // The stale attempt recorded nothing: its id is still free.
    expect(await testDb.db.historyOperation.count({ where: { conversationId: "tx-suffix" } })).toBe(1);
  });
});

describe("applyHistoryMutations", () => {
  it("replaces a function call on this branch only, copying history another branch shares", async () => {
    const s = session("mutate");
    await s.addItems([user("q1"), toolCall("calculator", "c1", '{"expression":"2+2"}'), toolResult("calculator", "c1", "4"), assistant("a1")]);
    await s.addItems([user("q2"), assistant("a2")]);
    const main = await s.getCurrentBranchId();
    const side = await s.createBranchFromTurn(2, { name: "side" });
    await s.switchToBranch(main);
    const replacement = { ...toolCall("calculator", "c1", '{"expression":"3+3"}') } as Extract<AgentInputItem, { type: "function_call" }>;
    await s.applyHistoryMutations({ mutations: [{ type: "replace_function_call", callId: "c1", replacement }] });
    const mainItems = await s.getItems();
    expect((mainItems[1] as { arguments: string }).arguments).toBe('{"expression":"3+3"}');
    expect(texts(mainItems)).toEqual(["q1", "call:calculator", "result:4", "a1", "q2", "a2"]);
    await s.switchToBranch(side);
    expect(((await s.getItems())[1] as { arguments: string }).arguments).toBe('{"expression":"2+2"}');
  });
});

describe("review findings", () => {
  const compaction = (content: string) => ({ type: "compaction", encrypted_content: content }) as AgentInputItem;

  it("keeps item positions dense after a mutation removes a duplicate call, so later appends and copies work", async () => {
    const s = session("mutate-gap");
    await s.addItems([user("q1"), toolCall("calculator", "c1", "{}"), toolResult("calculator", "c1", "1"), toolCall("calculator", "c1", "{}"), assistant("a1")]);
    await s.applyHistoryMutations({ mutations: [{ type: "replace_function_call", callId: "c1", replacement: toolCall("calculator", "c1", '{"x":1}') as never }] });
    await s.addItems([assistant("more")]);
    expect(texts(await s.getItems())).toEqual(["q1", "call:calculator", "result:1", "a1", "more"]);
    const positions = (await testDb.db.item.findMany({ where: { turn: { conversationId: "mutate-gap" } }, orderBy: { position: "asc" } })).map((row) => row.position);
    expect(positions).toEqual([0, 1, 2, 3, 4]);
  });

  it("a compaction after a clear keeps what the branch inherited", async () => {
    const s = session("clear-base");
    await addExchanges(s, 3);
    await s.storeRunUsage({ requests: 1, inputTokens: 10, cachedInputTokens: 0, outputTokens: 1, reasoningTokens: 0 }, { model: "gpt-4o" });
    const fork = await s.createBranchFromTurn(3, { inclusive: true, name: "fork" });
    await s.addItems([user("q4 on fork"), assistant("a4")]);
    await s.storeRunUsage({ requests: 1, inputTokens: 20, cachedInputTokens: 0, outputTokens: 2, reasoningTokens: 0 }, { model: "gpt-4o" });
    const before = await s.getBranchUsage(fork);
    await s.clearSession();
    await s.addItems([user("q4 on fork"), compaction("summary")]);
    const after = await s.getBranchUsage(fork);
    expect(after.inherited).toEqual(before.inherited);
    expect(after.own).toEqual(before.own);
    expect(texts(await s.getItems())).toEqual(["compaction"]);
  });

  it("popping the items after a compaction never pops through it: the history is then empty, not the whole path", async () => {
    const s = session("pop-boundary");
    await addExchanges(s, 3);
    await s.clearSession();
    await s.addItems([user("q1"), compaction("summary")]);
    await s.addItems([user("q4"), assistant("a4")]);
    expect(texts(await s.getItems())).toEqual(["compaction", "q4", "a4"]);
    expect(texts([(await s.popItem())!])).toEqual(["a4"]);
    expect(texts([(await s.popItem())!])).toEqual(["q4"]);
    expect(texts([(await s.popItem())!])).toEqual(["compaction"]);
    expect(await s.getItems()).toEqual([]);
    expect(await s.popItem()).toBeUndefined();
    expect((await s.getConversationTurns()).map((turn) => turn.fullContent)).toEqual(["q1", "q2", "q3"]);
  });

  it("popItem on a just-cleared branch keeps the link a compaction rebuild needs", async () => {
    const s = session("pop-cleared");
    await addExchanges(s, 2);
    await s.clearSession();
    expect(await s.popItem()).toBeUndefined();
    await s.addItems([compaction("summary")]);
    expect((await s.getConversationTurns()).map((turn) => turn.fullContent)).toEqual(["q1", "q2"]);
    expect(await s.listSnapshots()).toEqual([]);
  });

  it("two first writes to one new conversation at once both land", async () => {
    await Promise.all([session("first-race").addItems([user("from tab A")]), session("first-race").addItems([user("from tab B")])]);
    expect((await session("first-race").getConversationTurns()).map((turn) => turn.fullContent).sort()).toEqual(["from tab A", "from tab B"]);
    expect(await testDb.db.branch.count({ where: { conversationId: "first-race" } })).toBe(1);
  });

  it("a session scoped to an owner refuses another owner's conversation on every turn and usage method", async () => {
    const alice = new PrismaSession({ sessionId: "owned-2", db: testDb.db, userId: "alice" });
    const started = await alice.beginTurn("alice asks", { model: "gpt-4o" });
    const mallory = new PrismaSession({ sessionId: "owned-2", db: testDb.db, userId: "mallory" });
    for (const call of [
      () => mallory.appendToTurn(started.turnId, [assistant("injected")]),
      () => mallory.finishTurn(started.turnId, "completed"),
      () => mallory.requestStop(started.turnId),
      () => mallory.heartbeat(started.turnId),
      () => mallory.getTurnItems(started.turnId),
      () => mallory.listSnapshots(),
      () => mallory.getUsageOfTurn(started.turnId),
      () => mallory.setTitleIfUnset("stolen"),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "conversation_not_found" });
    }
    const warn = vi.spyOn(console, "error").mockImplementation(() => {});
    await mallory.storeRunUsage({ requests: 1, inputTokens: 5, cachedInputTokens: 0, outputTokens: 5, reasoningTokens: 0 }, { model: "gpt-4o", turnId: started.turnId });
    warn.mockRestore();
    expect(await testDb.db.turnUsage.count({ where: { conversationId: "owned-2" } })).toBe(0);
    expect(await mallory.hasTitle()).toBe(false);
    expect(texts(await alice.getTurnItems(started.turnId))).toEqual(["alice asks"]);
  });

  it("usage stored on another conversation's turn id is refused", async () => {
    const victim = session("victim");
    await victim.addItems([user("v")]);
    const turnId = (await victim.getConversationTurns())[0]!.turnId;
    const other = session("other");
    await other.addItems([user("o")]);
    await other.storeRunUsage({ requests: 1, inputTokens: 5, cachedInputTokens: 0, outputTokens: 5, reasoningTokens: 0 }, { model: "gpt-4o", turnId });
    expect(await victim.getSessionUsage()).toBeNull();
  });

  it("turn usage stored without a model after a compaction node goes to the turn that ran, priced by its model", async () => {
    const s = session("node-usage");
    const started = await s.beginTurn("q1", { model: "gpt-4o" });
    await s.finishTurn(started.turnId, "completed");
    await s.replaceHistoryWithCompaction([compaction("c")]);
    await s.storeRunUsage({ requests: 1, inputTokens: 100, cachedInputTokens: 0, outputTokens: 10, reasoningTokens: 0 });
    const rows = await testDb.db.turnUsage.findMany({ where: { conversationId: "node-usage" } });
    expect(rows.map((row) => [row.turnId === started.turnId, row.model, row.costMicros !== null])).toEqual([[true, "gpt-4o", true]]);
  });

  it("a turn-bound session refuses clearSession instead of emptying the branch under a running turn", async () => {
    const s = session("bound-clear");
    const started = await s.beginTurn("q1");
    await expect(s.turnSession(started.turnId).clearSession()).rejects.toMatchObject({ code: "invalid_argument" });
    expect((await s.getConversationTurns()).map((turn) => turn.fullContent)).toEqual(["q1"]);
  });
});
