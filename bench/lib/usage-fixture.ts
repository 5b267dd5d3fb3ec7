import path from "node:path";
import Database from "better-sqlite3";
import { newId } from "@/lib/session/ids";
import { openBenchDb, type BenchDb } from "./bench-db";
import { progress } from "./log";
import { Resources } from "./resources";
import { seedConversation, turnItems } from "./seed";
import { createSimpleTables, seedSimpleTurns, SimplePrismaSession } from "./simple-session";
import { SAMPLE_COUNTS, SAMPLE_MODEL, sampleUsageRow, seedUsagePerTurn } from "./usage-sample";

/** Turns in the usage fixture's one conversation. */
export const USAGE_TURNS = 10_000;

/** A database holding only one conversation of USAGE_TURNS turns, each with one usage row, and the same turns in the simple session. */
export interface UsageFixture {
  file: string;
  /** The same schema (migrations + the simple session's tables) with no rows: what the storage figure subtracts. */
  emptyFile: string;
  conversationId: string;
  simpleSessionId: string;
  turns: number;
}

let fixture: Promise<UsageFixture> | undefined;

async function seedUsageFixture(dir: string): Promise<UsageFixture> {
  const local = new Resources();
  try {
    const empty = await openBenchDb(local, dir, "usage-empty.db");
    await createSimpleTables(empty.db);
    const bench = await openBenchDb(local, dir, "usage.db");
    await createSimpleTables(bench.db);
    const started = performance.now();
    progress(`seeding a ${USAGE_TURNS.toLocaleString("en-US")}-turn conversation with a usage row per turn (addItems, storeRunUsage)`);
    const session = await seedConversation(bench.db, USAGE_TURNS);
    await seedUsagePerTurn(session);
    progress("seeding the same turns in the simple session");
    const simple = new SimplePrismaSession(bench.db, newId());
    await seedSimpleTurns(simple, USAGE_TURNS, turnItems);
    const { costMicros } = sampleUsageRow();
    for (let turn = 1; turn <= USAGE_TURNS; turn += 1) await simple.addUsage(SAMPLE_COUNTS, SAMPLE_MODEL, costMicros);
    progress(`usage fixture seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { file: bench.file, emptyFile: empty.file, conversationId: await session.getSessionId(), simpleSessionId: simple.sessionId, turns: USAGE_TURNS };
  } finally {
    await local.dispose();
  }
}

/** The usage fixture, seeded once per run in `runDir` and shared by the usage and storage scenarios (read-only). */
export function usageFixture(runDir: string): Promise<UsageFixture> {
  fixture ??= seedUsageFixture(runDir);
  return fixture;
}

/** A private `VACUUM INTO` copy of the usage fixture, opened like every bench database. */
export async function usageFixtureCopy(resources: Resources, runDir: string, dir: string): Promise<{ bench: BenchDb; fixture: UsageFixture }> {
  const seeded = await usageFixture(runDir);
  const source = new Database(seeded.file, { readonly: true });
  try {
    source.prepare("VACUUM INTO ?").run(path.join(dir, "usage-copy.db"));
  } finally {
    source.close();
  }
  return { bench: await openBenchDb(resources, dir, "usage-copy.db"), fixture: seeded };
}
