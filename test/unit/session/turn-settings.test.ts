import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContentCipher, keyIdOf } from "@/lib/crypto/content-cipher";
import { reencryptDatabase } from "@/lib/db/reencrypt";
import { PrismaSession } from "@/lib/session";
import { getTurnSettings } from "@/lib/session/turn-lifecycle";
import { createTestDb, type TestDb } from "../../support/test-db";

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.dispose();
});

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const settings = { instructions: "Speak like a sommelier.", temperature: 0.7, maxOutputTokens: 512 };

describe("turn settings recorded by beginTurn", () => {
  it("stores the instructions sealed and the sampling settings as they are, and reads them back", async () => {
    const session = new PrismaSession({ sessionId: "ts-sealed", db: testDb.db, cipher: new ContentCipher({ current: keyA }) });
    const turn = await session.beginTurn("pour me something", { model: "m", settings });
    const row = await testDb.db.turn.findUniqueOrThrow({ where: { id: turn.turnId } });
    expect(row.instructions).toMatch(new RegExp(`^enc:v1:${keyIdOf(keyA)}:ts-sealed:`));
    expect(row).toMatchObject({ temperature: 0.7, maxOutputTokens: 512 });
    expect(await getTurnSettings(session.context, turn.turnId)).toEqual(settings);
    expect(await getTurnSettings(session.context, "no-such-turn")).toBeNull();
  });

  it("a turn begun without settings records none", async () => {
    const session = new PrismaSession({ sessionId: "ts-none", db: testDb.db, cipher: new ContentCipher({}) });
    const turn = await session.beginTurn("hello");
    expect(await getTurnSettings(session.context, turn.turnId)).toEqual({ instructions: null, temperature: null, maxOutputTokens: null });
  });

  it("re-encryption rewrites recorded instructions to the current key, and back to plaintext", async () => {
    const rotate = new ContentCipher({ current: keyB, old: [keyA] });
    expect((await reencryptDatabase({ db: testDb.db, cipher: rotate, dryRun: true })).turnInstructions).toEqual({ rewritten: 1, unchanged: 0, unreadable: 0 });
    expect((await reencryptDatabase({ db: testDb.db, cipher: rotate, batchSize: 1 })).turnInstructions).toEqual({ rewritten: 1, unchanged: 0, unreadable: 0 });
    const onlyB = new PrismaSession({ sessionId: "ts-sealed", db: testDb.db, cipher: new ContentCipher({ current: keyB }) });
        const turn = await testDb.db.turn.findFirst({ where: { conversationId: "ts-sealed" } });
    expect((await getTurnSettings(onlyB.context, turn!.id))?.instructions).toBe(settings.instructions);
    expect((await reencryptDatabase({ db: testDb.db, cipher: new ContentCipher({ current: keyA }) })).turnInstructions).toEqual({ rewritten: 0, unchanged: 0, unreadable: 1 });
    expect((await reencryptDatabase({ db: testDb.db, cipher: new ContentCipher({ current: null, old: [keyB] }) })).turnInstructions).toEqual({ rewritten: 1, unchanged: 0, unreadable: 0 });
    expect((await testDb.db.turn.findUniqueOrThrow({ where: { id: turn!.id } })).instructions).toBe(settings.instructions);
  });
});
