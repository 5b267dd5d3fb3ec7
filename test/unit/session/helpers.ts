import { PrismaSession } from "@/lib/session";
import type { Db } from "@/lib/db";
import { assistant, user } from "../../support/items";

/** Appends `count` exchanges `q{n}` / `a{n}` (numbered from `from`) in one addItems call. */
export async function addExchanges(session: PrismaSession, count: number, options: { from?: number; tag?: string } = {}): Promise<void> {
  const from = options.from ?? 1;
  const tag = options.tag ?? "";
  const items = Array.from({ length: count }, (_, i) => [user(`q${from + i}${tag}`), assistant(`a${from + i}${tag}`)]).flat();
  await session.addItems(items);
}

/** Row counts of the tree tables, to prove what an operation wrote. */
export async function rowCounts(db: Db): Promise<{ conversations: number; turns: number; items: number; branches: number; usage: number }> {
  const [conversations, turns, items, branches, usage] = await Promise.all([
    db.conversation.count(),
    db.turn.count(),
    db.item.count(),
    db.branch.count(),
    db.turnUsage.count(),
  ]);
  return { conversations, turns, items, branches, usage };
}

/** `[turn, index, count]` for each turn of a branch: the ‹ index / count › the UI shows. */
export async function siblingView(session: PrismaSession, branchId?: string): Promise<[number, string, number, number][]> {
  const turns = await session.getConversationTurns(branchId);
  return turns.map((t) => [t.turn, t.fullContent, t.siblings.index, t.siblings.count]);
}
