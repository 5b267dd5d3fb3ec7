import path from "node:path";
import Database from "better-sqlite3";
import { openBenchDb, type BenchDb } from "./bench-db";
import { progress } from "./log";
import { Resources } from "./resources";
import { seedConversation, seedSideBranches } from "./seed";

/** Conversation ids of the shared template database, by what they hold. */
export interface TemplateConversations {
  turns10: string;
  turns100: string;
  turns1000: string;
  /** 10,000 turns on `main` plus 99 side branches forked along it (100 branches); `main` is active. */
  turns10000: string;
}

export const SIDE_BRANCHES = 99;

const SIZES = [
  ["turns10", 10],
  ["turns100", 100],
  ["turns1000", 1_000],
  ["turns10000", 10_000],
] as const;

/** The head turn of a conversation's `main` branch. */
export function mainHead(raw: Database.Database, conversationId: string): string {
  const row = raw.prepare(`SELECT "headTurnId" FROM "Branch" WHERE "conversationId" = ? AND "name" = 'main'`).get(conversationId) as { headTurnId: string } | undefined;
  if (!row) throw new Error(`conversation ${conversationId} has no main branch`);
  return row.headTurnId;
}

let template: Promise<{ file: string; conversations: TemplateConversations }> | undefined;

async function seedTemplate(dir: string): Promise<{ file: string; conversations: TemplateConversations }> {
  const local = new Resources();
  try {
    const bench = await openBenchDb(local, dir, "template.db");
    const started = performance.now();
    const conversations: Partial<TemplateConversations> = {};
    for (const [key, turns] of SIZES) {
      progress(`seeding a ${turns.toLocaleString("en-US")}-turn conversation through PrismaSession.addItems`);
      const session = await seedConversation(bench.db, turns);
      if (key === "turns10000") {
        progress(`adding ${SIDE_BRANCHES} side branches`);
        await seedSideBranches(session, SIDE_BRANCHES, turns);
      }
      conversations[key] = await session.getSessionId();
    }
    progress(`template seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { file: bench.file, conversations: conversations as TemplateConversations };
  } finally {
    await local.dispose();
  }
}

/** A private `VACUUM INTO` copy of the template database (seeded once per run), so no scenario sees another's writes. */
export async function templateCopy(resources: Resources, templateDir: string, dir: string): Promise<{ bench: BenchDb; conversations: TemplateConversations }> {
  template ??= seedTemplate(templateDir);
  const { file, conversations } = await template;
  const source = new Database(file, { readonly: true });
  try {
    source.prepare("VACUUM INTO ?").run(path.join(dir, "copy.db"));
  } finally {
    source.close();
  }
  return { bench: await openBenchDb(resources, dir, "copy.db"), conversations };
}
