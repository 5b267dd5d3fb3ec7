import { dbBusyBudgetMs } from "./busy-budget.ts";

/** Attempts of a write that keeps failing on a busy database (the first try included). */
const MAX_ATTEMPTS = 6;
const BASE_DELAY_MS = 25;

/**
 * True for failures that mean "the database was busy, nothing was written": SQLite's lock wait ran out
 * (SQLITE_BUSY, surfaced by Prisma as P1008 or a raw-query P2010), a transaction that could not start or expired
 * while queued (P2028), or a PostgreSQL serialization failure / deadlock (P2034).
 */
export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  const message = String((error as { message?: unknown })?.message ?? "");
  if (code === "P1008" || code === "P2034") return true;
  if (/SQLITE_BUSY|database is locked|database table is locked/i.test(message)) return true;
  return code === "P2028" && /Unable to start a transaction in the given time|expired transaction/i.test(message);
}

/** How many writes were retried in this process (read by the load test). */
export const busyRetryStats = { retries: 0 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a write (one statement or one transaction) again, after a jittered exponential backoff, while it fails
 * because the database was busy. Only for writes that are atomic: a failed attempt must have changed nothing.
 */
export async function retryOnBusy<T>(write: () => Promise<T>, budgetMs: number = dbBusyBudgetMs()): Promise<T> {
  const started = Date.now();
  // One attempt waits at most half the budget (see dbWaits), so a retry starts only while a whole attempt still fits.
  const attemptWait = budgetMs / 2;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isBusyError(error)) throw error;
      const backoff = BASE_DELAY_MS * 2 ** (attempt - 1);
      const delay = backoff / 2 + Math.random() * backoff;
      if (Date.now() - started + delay + attemptWait > budgetMs) throw error;
      busyRetryStats.retries += 1;
      await sleep(delay);
    }
  }
}
