import type { Db } from "@/lib/db";
import { deleteClientAddressEventsBefore } from "@/lib/db/client-address-events";
import { deleteIdleGuests } from "@/lib/db/idle-guests";
import { ConversationNotFoundError, PrismaSession } from "@/lib/session";

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 100;

export interface RetentionResult {
  deleted: number;
  failed: number;
}

/**
 * Deletes every conversation whose `updatedAt` is older than `days` days, one at a time through
 * `PrismaSession.deleteConversation`, so turns a fork reads through are handed to the fork (forks survive).
 * Safe to run on several instances at once: a conversation another one deleted first is skipped.
 */
export async function deleteExpiredConversations(args: { db: Db; days: number; now?: Date }): Promise<RetentionResult> {
  const cutoff = new Date((args.now ?? new Date()).getTime() - args.days * DAY_MS);
  const result: RetentionResult = { deleted: 0, failed: 0 };
  const skipped = new Set<string>();
  for (;;) {
    const rows = await args.db.conversation.findMany({
      where: { updatedAt: { lt: cutoff }, id: { notIn: [...skipped] } },
      select: { id: true },
      orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
      take: BATCH,
    });
    if (rows.length === 0) return result;
    for (const { id } of rows) {
      // SQLite answers synchronously: yield, so a long sweep never keeps the server from answering requests.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        await new PrismaSession({ sessionId: id, db: args.db }).deleteConversation();
        result.deleted += 1;
      } catch (error) {
        if (error instanceof ConversationNotFoundError || (error as { code?: string })?.code === "P2025") continue;
        // Leave it for the next sweep rather than stop the whole sweep.
        skipped.add(id);
        result.failed += 1;
        console.error(`retention: could not delete conversation ${id}`, error);
      }
    }
  }
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * Runs `sweep` now and then every `intervalMs`, never two at once, logging a failure instead of throwing; returns a
 * function that stops it. The timer does not keep the process alive.
 */
function startPeriodic(name: string, intervalMs: number, sweep: () => Promise<void>): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await sweep();
    } catch (error) {
      console.error(`${name} failed`, error);
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

const consoleLog = (message: string) => console.log(message);

/** Runs the retention sweep now and then every `intervalMs` (hourly by default); returns a function that stops it. */
export function startRetentionSweeper(args: { db: () => Db; days: number; intervalMs?: number; log?: (message: string) => void }): () => void {
  const log = args.log ?? consoleLog;
  return startPeriodic("retention sweep", args.intervalMs ?? HOUR_MS, async () => {
    const { deleted, failed } = await deleteExpiredConversations({ db: args.db(), days: args.days });
    if (deleted > 0 || failed > 0) {
      log(`forkline: retention deleted ${deleted} conversation(s) not updated for ${args.days} day(s)${failed ? `, ${failed} failed` : ""}`);
    }
  });
}

/** Guests older than this that never started a conversation are deleted (docs/security.md). */
export const IDLE_GUEST_MS = DAY_MS;

/** Deletes idle empty guests (and expired per-address counters) now and then every `intervalMs` (hourly by default). */
export function startIdleGuestSweeper(args: { db: () => Db; intervalMs?: number; log?: (message: string) => void }): () => void {
  const log = args.log ?? consoleLog;
  return startPeriodic("idle guest sweep", args.intervalMs ?? HOUR_MS, async () => {
    const deleted = await deleteIdleGuests({ db: args.db(), before: new Date(Date.now() - IDLE_GUEST_MS) });
    if (deleted > 0) log(`forkline: deleted ${deleted} guest(s) idle for a day with no conversations`);
    // The longest per-address limit looks back a day.
    await deleteClientAddressEventsBefore({ db: args.db(), before: new Date(Date.now() - 2 * DAY_MS) });
  });
}
