import { randomBytes } from "node:crypto";
import { vi, afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ContentCipher, ContentDecryptionError, configuredCipher, isEncrypted, keyIdOf, parseMasterKey } from "@/lib/crypto/content-cipher";
import { Env } from "@/lib/env";
import { PrismaSession } from "@/lib/session";
import { createTestDb, type TestDb } from "../../support/test-db";
import { assistant, texts, toolCall, toolResult, user } from "../../support/items";

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.dispose();
});

const SECRET = "Zanzibar-7731";
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const withKey = (current: Buffer | null, old: Buffer[] = []) => new ContentCipher({ current, old });
const session = (sessionId: string, cipher?: ContentCipher) => new PrismaSession({ sessionId, db: testDb.db, cipher });

/** Every stored message column of a conversation, straight from the database (no decryption). */
async function rawColumns(conversationId: string): Promise<string[]> {
  const items = await testDb.db.item.findMany({ where: { turn: { conversationId } }, select: { content: true }, orderBy: [{ turnId: "asc" }, { position: "asc" }] });
  return items.map((item) => item.content);
}

describe("encryption at rest of message content", () => {
  it("stores no plaintext in Item.content, and reads the plaintext back through PrismaSession", async () => {
    const s = session("enc-basic", withKey(keyA));
    await s.addItems([user(`the password is ${SECRET}`), toolCall("calculator", "c1", `{"expression":"${SECRET}"}`), toolResult("calculator", "c1", SECRET), assistant(`noted: ${SECRET}`)]);
    const { turnId } = await s.beginTurn(`again ${SECRET}`);
    await s.appendToTurn(turnId, [assistant(`still ${SECRET}`)]);
    await s.finishTurn(turnId, "completed");

    const raw = await rawColumns("enc-basic");
    expect(raw).toHaveLength(2 + 4);
    for (const value of raw) {
      expect(value).not.toContain(SECRET);
      expect(value).not.toContain("password");
      expect(value.startsWith(`enc:v1:${keyIdOf(keyA)}:enc-basic:`)).toBe(true);
    }
    // The same text twice never gives the same stored value (random IV).
    expect(new Set(raw).size).toBe(raw.length);

    const reader = session("enc-basic", withKey(keyA));
    expect(texts(await reader.getItems())).toEqual([`the password is ${SECRET}`, "call:calculator", `result:${SECRET}`, `noted: ${SECRET}`, `again ${SECRET}`, `still ${SECRET}`]);
    expect((await reader.getConversationTurns()).map((turn) => turn.fullContent)).toEqual([`the password is ${SECRET}`, `again ${SECRET}`]);
    expect((await reader.findTurnsByContent("AGAIN"))).toHaveLength(1);
    expect(texts((await reader.getPathItems()).flatMap((entry) => (entry.item ? [entry.item] : [])))).toHaveLength(6);
    expect(texts(await reader.getTurnItems(turnId))).toEqual([`again ${SECRET}`, `still ${SECRET}`]);
    expect(texts([(await reader.popItem())!])).toEqual([`still ${SECRET}`]);
    // Query columns stay plaintext (they are not message content): tool names and types still work.
    expect(await reader.getToolUsage()).toEqual([{ toolName: "calculator", count: 1, turn: 1 }]);
  });

  it("fails clearly with a wrong or missing key, never returning garbage", async () => {
    await session("enc-wrong", withKey(keyA)).addItems([user(SECRET), assistant("ok")]);
    const wrong = session("enc-wrong", withKey(keyB));
    await expect(wrong.getItems()).rejects.toThrow(ContentDecryptionError);
    await expect(wrong.getItems()).rejects.toThrow(new RegExp(`encrypted with key ${keyIdOf(keyA)}, which is not configured.*FORKLINE_ENCRYPTION_KEYS_OLD`));
    await expect(session("enc-wrong", withKey(null)).getConversationTurns()).rejects.toThrow(/not configured/);
    const error = await wrong.getItems().catch((caught: unknown) => caught);
    expect((error as ContentDecryptionError).code).toBe("content_undecryptable");
  });

  it("detects a value changed in the database (integrity check), including its header", async () => {
    const s = session("enc-tamper", withKey(keyA));
    await s.addItems([user(SECRET)]);
    const item = await testDb.db.item.findFirstOrThrow({ where: { turn: { conversationId: "enc-tamper" } } });
    const parts = item.content.split(":");
    const flipped = Buffer.from(parts[6]!, "base64");
    flipped[0] = flipped[0]! ^ 1;
    await testDb.db.item.update({ where: { id: item.id }, data: { content: [...parts.slice(0, 6), flipped.toString("base64")].join(":") } });
    // A damaged row is reported and skipped (never returned as garbage, never fatal for the conversation).
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      expect(await s.getItems()).toEqual([]);
      expect(warned.mock.calls.flat().join(" ")).toMatch(/corrupt_item: conversation enc-tamper, turn \S+, position 0 skipped: it failed its integrity check/);
      expect((await s.getPathItems()).map((entry) => entry.unreadable)).toEqual([expect.stringMatching(/integrity check/)]);
      // Moving the ciphertext under another conversation id in the header is caught too (it is authenticated).
      await testDb.db.item.update({ where: { id: item.id }, data: { content: [...parts.slice(0, 3), "other", ...parts.slice(4)].join(":") } });
      warned.mockClear();
      expect(await s.getItems()).toEqual([]);
      expect(warned).toHaveBeenCalledTimes(1);
    } finally {
      warned.mockRestore();
    }
  });

  it("reads plaintext rows written before encryption was enabled, next to encrypted ones", async () => {
    await session("enc-mixed", withKey(null)).addItems([user("old plain question"), assistant("old plain answer")]);
    const s = session("enc-mixed", withKey(keyA));
    await s.addItems([user(`new ${SECRET}`), assistant("new answer")]);
    const raw = await rawColumns("enc-mixed");
    expect(raw.filter(isEncrypted)).toHaveLength(2);
    expect(raw.filter((value) => !isEncrypted(value))).toEqual([expect.stringContaining('"old plain question"'), expect.stringContaining('"old plain answer"')]);
    expect(texts(await s.getItems())).toEqual(["old plain question", "old plain answer", `new ${SECRET}`, "new answer"]);
    expect((await s.getConversationTurns()).map((turn) => turn.fullContent)).toEqual(["old plain question", `new ${SECRET}`]);
  });

  it("rotation: a new current key writes, old keys still read their rows", async () => {
    await session("enc-rotate", withKey(keyA)).addItems([user("written with A"), assistant("A")]);
    const rotated = session("enc-rotate", withKey(keyB, [keyA]));
    await rotated.addItems([user("written with B"), assistant("B")]);
    const ids = (await rawColumns("enc-rotate")).map((value) => value.split(":")[2]);
    expect(ids).toEqual([keyIdOf(keyA), keyIdOf(keyA), keyIdOf(keyB), keyIdOf(keyB)]);
    expect(texts(await rotated.getItems())).toEqual(["written with A", "A", "written with B", "B"]);
    // Without the old key, the old rows cannot be read (and say so).
    await expect(session("enc-rotate", withKey(keyB)).getItems()).rejects.toThrow(keyIdOf(keyA));
  });

  it("keeps forks, copy-on-write copies and hand-overs readable: values carry the conversation they were sealed for", async () => {
    const cipher = withKey(keyA);
    const original = session("enc-orig", cipher);
    await original.addItems([user("q1"), assistant("a1"), user("q2"), assistant("a2")]);
    const forkId = await original.forkToNewConversation(2);
    const fork = session(forkId, cipher);
    await fork.addItems([assistant("more on a2")]); // copy-on-write of the original's turn 2 into the fork
    await fork.addItems([user(`fork ${SECRET}`)]);
    await original.deleteConversation(); // turn 1 is handed over to the fork
    expect(texts(await fork.getItems())).toEqual(["q1", "a1", "q2", "a2", "more on a2", `fork ${SECRET}`]);
    for (const value of await rawColumns(forkId)) expect(value).not.toContain(SECRET);
  });

  it("reads FORKLINE_ENCRYPTION_KEY / FORKLINE_ENCRYPTION_KEYS_OLD from the environment by default", async () => {
    process.env.FORKLINE_ENCRYPTION_KEY = keyB.toString("base64");
    process.env.FORKLINE_ENCRYPTION_KEYS_OLD = keyA.toString("base64");
    try {
      expect(configuredCipher().writeKeyId).toBe(keyIdOf(keyB));
      const s = session("enc-env");
      await s.addItems([user(SECRET)]);
      expect((await rawColumns("enc-env"))[0]).toMatch(new RegExp(`^enc:v1:${keyIdOf(keyB)}:`));
      expect(texts(await session("enc-env").getItems())).toEqual([SECRET]);
    } finally {
      delete process.env.FORKLINE_ENCRYPTION_KEY;
      delete process.env.FORKLINE_ENCRYPTION_KEYS_OLD;
    }
    expect(configuredCipher().writeKeyId).toBeNull();
  });
});

describe("encryption key settings", () => {
  afterEach(() => {
    delete process.env.FORKLINE_ENCRYPTION_KEY;
  });

  it("accepts 32 bytes of base64 (or base64url) and refuses anything else with a clear message", () => {
    expect(parseMasterKey(keyA.toString("base64"))).toEqual(keyA);
    expect(parseMasterKey(keyA.toString("base64url"))).toEqual(keyA);
    expect(() => parseMasterKey(randomBytes(16).toString("base64"))).toThrow(/must be 32 random bytes in base64.*got 16 bytes/);
    expect(() => parseMasterKey("not a key!")).toThrow(/not base64/);
    const parsed = Env.safeParse({ FORKLINE_ENCRYPTION_KEY: "hunter2", FORKLINE_ENCRYPTION_KEYS_OLD: `${keyA.toString("base64")},short` });
    expect(parsed.success).toBe(false);
    const messages = parsed.error!.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^FORKLINE_ENCRYPTION_KEY: FORKLINE_ENCRYPTION_KEY must be 32 random bytes in base64 \(44 characters\)/),
      expect.stringMatching(/^FORKLINE_ENCRYPTION_KEYS_OLD: FORKLINE_ENCRYPTION_KEYS_OLD \(key 2\) must be 32 random bytes/),
    ]);
    expect(messages.join("\n")).not.toContain("hunter2");
  });
});
