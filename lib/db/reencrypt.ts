import type { Db } from "../db/create-client.ts";
import { retryOnBusy } from "../db/busy-retry.ts";
import { ContentDecryptionError, type ContentCipher } from "./content-cipher.ts";

export interface ReencryptCounts {
  /** Values that were rewritten (or would be, in a dry run). */
  rewritten: number;
  /** Values already in the wanted form. */
  unchanged: number;
  /** Values no configured key opens: left as they are. */
  unreadable: number;
}

export interface ReencryptResult {
  items: ReencryptCounts;
}

const zero = (): ReencryptCounts => ({ rewritten: 0, unchanged: 0, unreadable: 0 });

/**
 * Rewrites every Item.content into the cipher's current form: encrypted with the current key
 * (rotation, or enabling encryption on an existing database), or plaintext when there is no current key (turning
 * encryption off). Runs in batches beside a running server; a value changed meanwhile is left to the next run.
 */
export async function reencryptDatabase(args: {
  db: Db;
  cipher: ContentCipher;
  dryRun?: boolean;
  batchSize?: number;
  onProgress?: (table: "Item", counts: ReencryptCounts) => void;
}): Promise<ReencryptResult> {
  const { db, cipher } = args;
  const take = args.batchSize ?? 500;
  const result: ReencryptResult = { items: zero() };

  const convert = (stored: string, conversationId: string, counts: ReencryptCounts): string | null => {
    if (!cipher.needsRewrite(stored)) {
      counts.unchanged += 1;
      return null;
    }
    try {
      return cipher.encrypt(cipher.decrypt(stored), conversationId);
    } catch (error) {
      if (!(error instanceof ContentDecryptionError)) throw error;
      counts.unreadable += 1;
      return null;
    }
  };

  for (let after = 0; ; ) {
    const rows = await db.item.findMany({
      where: { id: { gt: after } },
      orderBy: { id: "asc" },
      take,
      select: { id: true, content: true, turn: { select: { conversationId: true } } },
    });
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    const updates = rows.flatMap((row) => {
      const next = convert(row.content, row.turn.conversationId, result.items);
      return next === null ? [] : [{ id: row.id, from: row.content, to: next }];
    });
    result.items.rewritten += updates.length;
    if (!args.dryRun && updates.length > 0) {
      await retryOnBusy(() =>
        db.$transaction(async (tx) => {
          for (const update of updates) await tx.item.updateMany({ where: { id: update.id, content: update.from }, data: { content: update.to } });
        }),
      );
    }
    args.onProgress?.("Item", result.items);
  }

  return result;
}
