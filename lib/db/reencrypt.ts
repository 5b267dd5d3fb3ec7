import { ContentDecryptionError, type ContentCipher } from "../crypto/content-cipher.ts";
import { retryOnBusy } from "./busy-retry.ts";
import type { Db } from "./create-client.ts";

export interface ReencryptCounts {
  /** Values that were rewritten (or would be, in a dry run). */
  rewritten: number;
  /** Values already in the wanted form. */
  unchanged: number;
  /** Values no configured key opens: left as they are. */
  unreadable: number;
}

/** Per encrypted column: message content, and the system prompt each turn recorded. */
export interface ReencryptResult {
  items: ReencryptCounts;
  turnInstructions: ReencryptCounts;
}

export type ReencryptTable = "Item.content" | "Turn.instructions";

const zero = (): ReencryptCounts => ({ rewritten: 0, unchanged: 0, unreadable: 0 });

/** One stored value of an encrypted column, with the conversation whose key seals it. */
interface Sealed<K> {
  key: K;
  value: string;
  conversationId: string;
}

/** Pages through one column: `page(after)` returns the next rows, `save` writes a batch only where it is unchanged. */
interface Column<K> {
  page(after: K | undefined, take: number): Promise<Sealed<K>[]>;
  save(updates: { key: K; from: string; to: string }[]): Promise<void>;
}

async function reencryptColumn<K>(column: Column<K>, cipher: ContentCipher, options: { dryRun?: boolean; take: number; onBatch: () => void }, counts: ReencryptCounts) {
  for (let after: K | undefined; ; ) {
    const rows = await column.page(after, options.take);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.key;
    const updates: { key: K; from: string; to: string }[] = [];
    for (const row of rows) {
      if (!cipher.needsRewrite(row.value)) {
        counts.unchanged += 1;
        continue;
      }
      try {
        updates.push({ key: row.key, from: row.value, to: cipher.encrypt(cipher.decrypt(row.value), row.conversationId) });
      } catch (error) {
        if (!(error instanceof ContentDecryptionError)) throw error;
        counts.unreadable += 1;
      }
    }
    counts.rewritten += updates.length;
    if (!options.dryRun && updates.length > 0) await retryOnBusy(() => column.save(updates));
    options.onBatch();
  }
}

function itemContent(db: Db): Column<number> {
  return {
    async page(after, take) {
      const rows = await db.item.findMany({
        where: { id: { gt: after ?? 0 } },
        orderBy: { id: "asc" },
        take,
        select: { id: true, content: true, turn: { select: { conversationId: true } } },
      });
      return rows.map((row) => ({ key: row.id, value: row.content, conversationId: row.turn.conversationId }));
    },
    save: (updates) =>
      db.$transaction(async (tx) => {
        for (const update of updates) await tx.item.updateMany({ where: { id: update.key, content: update.from }, data: { content: update.to } });
      }),
  };
}

function turnInstructions(db: Db): Column<string> {
  return {
    async page(after, take) {
      const rows = await db.turn.findMany({
        where: { id: { gt: after ?? "" }, instructions: { not: null } },
        orderBy: { id: "asc" },
        take,
        select: { id: true, conversationId: true, instructions: true },
      });
      return rows.map((row) => ({ key: row.id, value: row.instructions!, conversationId: row.conversationId }));
    },
    save: (updates) =>
      db.$transaction(async (tx) => {
        for (const update of updates) await tx.turn.updateMany({ where: { id: update.key, instructions: update.from }, data: { instructions: update.to } });
      }),
  };
}

/**
 * Rewrites every encrypted column (Item.content, Turn.instructions) into the cipher's current form: encrypted with
 * the current key (rotation, or enabling encryption on an existing database), or plaintext when there is no current
 * key (turning encryption off). Runs in batches beside a running server; a value changed meanwhile is left to the
 * next run.
 */
export async function reencryptDatabase(args: {
  db: Db;
  cipher: ContentCipher;
  dryRun?: boolean;
  batchSize?: number;
  onProgress?: (table: ReencryptTable, counts: ReencryptCounts) => void;
}): Promise<ReencryptResult> {
  const result: ReencryptResult = { items: zero(), turnInstructions: zero() };
  const take = args.batchSize ?? 500;
  await reencryptColumn(itemContent(args.db), args.cipher, { dryRun: args.dryRun, take, onBatch: () => args.onProgress?.("Item.content", result.items) }, result.items);
  await reencryptColumn(
    turnInstructions(args.db),
    args.cipher,
    { dryRun: args.dryRun, take, onBatch: () => args.onProgress?.("Turn.instructions", result.turnInstructions) },
    result.turnInstructions,
  );
  return result;
}
