import type { AgentInputItem } from "@openai/agents";
import type { Db } from "@/lib/db/create-client";
import { PrismaSession } from "@/lib/session";

const TOPICS = ["the invoice totals", "a trip to Lisbon", "SQLite indexes", "a birthday cake", "the quarterly report", "a React hook"];

/** The user message of turn `n` (about 80 characters). */
export function userText(n: number): string {
  return `Question ${n}: could you help me with ${TOPICS[n % TOPICS.length]} and keep it short?`;
}

/** The assistant reply of turn `n`: a few hundred characters of Markdown, with a code block every tenth turn. */
export function assistantText(n: number): string {
  const topic = TOPICS[n % TOPICS.length];
  const lines = [
    `Answer ${n}. Here is a short take on ${topic}, in three points:`,
    "",
    `- **First**, write down what you already know about ${topic}.`,
    "- **Second**, check the numbers twice and keep the `units` consistent.",
    "- **Third**, ask again if anything is unclear; we can go deeper on any point.",
  ];
  if (n % 10 === 0) lines.push("", "```ts", `const turn = ${n};`, "console.log(`turn ${turn}`);", "```");
  return lines.join("\n");
}

/** A user message item. */
export function userItem(text: string): AgentInputItem {
  return { type: "message", role: "user", content: text } as AgentInputItem;
}

/** A completed assistant message item. */
export function assistantItem(text: string): AgentInputItem {
  return { type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text }] } as AgentInputItem;
}

/** The user + assistant items of turn `n`. */
export function turnItems(n: number): AgentInputItem[] {
  return [userItem(userText(n)), assistantItem(assistantText(n))];
}

export interface SeedOptions {
  /** Number of the first turn to write (its text only; depth follows the branch). */
  from?: number;
  /** Turns per `addItems` call; each call is one transaction. */
  batch?: number;
}

/** Appends `turns` turns to the session's active branch through `PrismaSession.addItems`, in batches. */
export async function seedTurns(session: PrismaSession, turns: number, options: SeedOptions = {}): Promise<void> {
  const from = options.from ?? 1;
  const batch = options.batch ?? 250;
  for (let start = from; start < from + turns; start += batch) {
    const end = Math.min(from + turns, start + batch);
    const items: AgentInputItem[] = [];
    for (let n = start; n < end; n += 1) items.push(...turnItems(n));
    await session.addItems(items);
  }
}

/** A new conversation (owned by the app's local user) holding `turns` turns on `main`. */
export async function seedConversation(db: Db, turns: number, options: SeedOptions = {}): Promise<PrismaSession> {
  const session = new PrismaSession({ db, userId: "local" });
  await session.ensureConversation({ title: `Bench ${turns} turns` });
  await seedTurns(session, turns, options);
  return session;
}

/** Adds `count` side branches, each forked from `main` at an evenly spaced turn with one turn of its own; `main` stays active. */
export async function seedSideBranches(session: PrismaSession, count: number, mainLength: number): Promise<void> {
  const mainId = await session.getCurrentBranchId();
  const step = Math.floor(mainLength / (count + 1));
  for (let index = 1; index <= count; index += 1) {
    await session.createBranchFromTurn(index * step);
    await session.addItems(turnItems(mainLength + index));
    await session.switchToBranch(mainId);
  }
}
