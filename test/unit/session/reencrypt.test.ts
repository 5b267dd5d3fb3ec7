import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContentCipher, isEncrypted, keyIdOf } from "@/lib/crypto/content-cipher";
import { reencryptDatabase } from "@/lib/db/reencrypt";
import { PrismaSession } from "@/lib/session";
import { createTestDb, type TestDb } from "../../support/test-db";
import { assistant, texts, user } from "../../support/items";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../../..");

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.dispose();
});

const keyA = randomBytes(32);
const keyB = randomBytes(32);

async function storedKeyIds(): Promise<string[]> {
  const items = await testDb.db.item.findMany({ select: { content: true } });
  return items.map((item) => item.content).map((value) =>
    isEncrypted(value) ? value.split(":")[2]! : "plain",
  );
}

describe("re-encryption (key rotation, enabling and disabling encryption)", () => {
  it("rewrites plaintext and old-key rows to the current key, then back to plaintext", async () => {
    await new PrismaSession({ sessionId: "re-plain", db: testDb.db, cipher: new ContentCipher({}) }).addItems([user("plain q"), assistant("plain a")]);
    await new PrismaSession({ sessionId: "re-a", db: testDb.db, cipher: new ContentCipher({ current: keyA }) }).addItems([user("secret q"), assistant("secret a")]);
    expect((await storedKeyIds()).sort()).toEqual([...Array(2).fill(keyIdOf(keyA)), ...Array(2).fill("plain")].sort());

    const rotate = new ContentCipher({ current: keyB, old: [keyA] });
    const dry = await reencryptDatabase({ db: testDb.db, cipher: rotate, dryRun: true, batchSize: 2 });
    expect(dry.items).toEqual({ rewritten: 4, unchanged: 0, unreadable: 0 });
    expect((await storedKeyIds()).filter((id) => id === keyIdOf(keyB))).toHaveLength(0);

    expect(await reencryptDatabase({ db: testDb.db, cipher: rotate, batchSize: 2 })).toEqual({
      items: { rewritten: 4, unchanged: 0, unreadable: 0 },
      turnInstructions: { rewritten: 0, unchanged: 0, unreadable: 0 },
    });
    expect(await storedKeyIds()).toEqual(Array(4).fill(keyIdOf(keyB)));
    // Key A can now be dropped.
    const onlyB = new ContentCipher({ current: keyB });
    expect(texts(await new PrismaSession({ sessionId: "re-a", db: testDb.db, cipher: onlyB }).getItems())).toEqual(["secret q", "secret a"]);
    expect((await new PrismaSession({ sessionId: "re-plain", db: testDb.db, cipher: onlyB }).getConversationTurns())[0]!.fullContent).toBe("plain q");

    // A key that is not configured: its rows are reported and left alone.
    const stranger = new ContentCipher({ current: keyA });
    expect((await reencryptDatabase({ db: testDb.db, cipher: stranger })).items).toEqual({ rewritten: 0, unchanged: 0, unreadable: 4 });

    // Turning encryption off: only old keys configured → plaintext.
    const off = new ContentCipher({ current: null, old: [keyB] });
    expect((await reencryptDatabase({ db: testDb.db, cipher: off })).items).toEqual({ rewritten: 4, unchanged: 0, unreadable: 0 });
    expect(await storedKeyIds()).toEqual(Array(4).fill("plain"));
    expect(texts(await new PrismaSession({ sessionId: "re-a", db: testDb.db, cipher: new ContentCipher({}) }).getItems())).toEqual(["secret q", "secret a"]);
  });

  it("runs as a script with the keys from the environment", async () => {
    const { stdout } = await run("npx", ["tsx", "scripts/reencrypt.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: testDb.url, FORKLINE_ENCRYPTION_KEY: keyA.toString("base64"), FORKLINE_ENCRYPTION_KEYS_OLD: "" },
    });
    expect(stdout).toContain(`rewriting message content to key ${keyIdOf(keyA)}`);
    expect(stdout).toMatch(/Item\.content: 4 rewritten/);
    expect(await storedKeyIds()).toEqual(Array(4).fill(keyIdOf(keyA)));
    const failed = await run("npx", ["tsx", "scripts/reencrypt.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: testDb.url, FORKLINE_ENCRYPTION_KEY: keyB.toString("base64") },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining("FORKLINE_ENCRYPTION_KEYS_OLD") });
  }, 60_000);
});
