import type { Db } from "./index";
import { deleteLedgerOf } from "./ledger.ts";

const BATCH = 200;

/**
 * Deletes guests (anonymous users) created before `before` that own no conversation and have no session used since
 * `before`, with their sessions and settings (cascade) and their ledger. Never touches an account or a guest with conversations.
 */
export async function deleteIdleGuests(args: { db: Db; before: Date }): Promise<number> {
  let deleted = 0;
  let after = "";
  for (;;) {
    const candidates = await args.db.user.findMany({
      where: { isAnonymous: true, createdAt: { lt: args.before }, id: { gt: after }, sessions: { none: { updatedAt: { gte: args.before } } } },
      select: { id: true },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    if (candidates.length === 0) return deleted;
    after = candidates[candidates.length - 1]!.id;
    const ids = candidates.map((row) => row.id);
    const owners = await args.db.conversation.findMany({ where: { userId: { in: ids } }, select: { userId: true }, distinct: ["userId"] });
    const owning = new Set(owners.map((row) => row.userId));
    const idle = ids.filter((id) => !owning.has(id));
    if (idle.length === 0) continue;
    const result = await args.db.$transaction(async (tx) => {
      await deleteLedgerOf({ db: tx, userIds: idle });
      return tx.user.deleteMany({ where: { id: { in: idle }, isAnonymous: true } });
    });
    deleted += result.count;
  }
}
