import { isBusyError } from "@/lib/db/busy-retry";
import { dbBusyBudgetMs } from "@/lib/db/busy-budget";
import { AppError } from "./app-error";

/** Seconds a client should wait before trying again after `storage_full` / `database_busy`. */
const RETRY_AFTER_STORAGE_FULL_S = 60;

/** Codes and messages of an error and what it wraps (Prisma keeps the driver's error in `cause` or `meta`). */
function facts(error: unknown, depth = 0): { codes: string[]; text: string } {
  if (!error || typeof error !== "object" || depth > 4) return { codes: [], text: typeof error === "string" ? error : "" };
  const record = error as Record<string, unknown>;
  const codes = ["code", "originalCode", "kind", "errno"].map((key) => record[key]).filter((value) => value !== undefined).map(String);
  let text = typeof record.message === "string" ? record.message : "";
  const inner = [record.cause, (record.meta as Record<string, unknown> | undefined)?.driverAdapterError, (record.meta as Record<string, unknown> | undefined)?.cause];
  for (const nested of inner) {
    if (nested === undefined) continue;
    const found = facts(nested, depth + 1);
    codes.push(...found.codes);
    text += `\n${found.text}`;
  }
  return { codes, text };
}

/**
 * The one mapping of "the database cannot take this write right now" driver errors to a 503 with Retry-After:
 * a full disk (SQLITE_FULL, PostgreSQL 53100 disk_full) → `storage_full`; a lock held elsewhere past the busy budget
 * (SQLITE_BUSY, PostgreSQL 55P03 lock_not_available, Prisma P1008/P2028/P2034 timeouts) → `database_busy`.
 * Null for anything else. Such writes are single statements or transactions, so nothing was half-written.
 */
export function storageErrorOf(error: unknown): AppError | null {
  const { codes, text } = facts(error);
  const has = (...wanted: string[]) => codes.some((code) => wanted.includes(code));
  if (has("SQLITE_FULL", "53100", "DatabaseFull", "ENOSPC") || /database or disk is full|disk_full|No space left on device|could not extend file/i.test(text)) {
    return new AppError(
      503,
      "storage_full",
      "The server's database storage is full, so nothing was saved. Ask the operator to free disk space (or raise the database's size limit), then try again.",
      { "Retry-After": String(RETRY_AFTER_STORAGE_FULL_S) },
    );
  }
  if (
    isBusyError(error) ||
    has("SQLITE_BUSY", "55P03", "P1008", "P2034", "SocketTimeout") ||
    /SQLITE_BUSY|database is locked|lock_not_available|canceling statement due to lock timeout|Unable to start a transaction in the given time/i.test(text)
  ) {
    const seconds = Math.max(1, Math.ceil(dbBusyBudgetMs() / 1000));
    return new AppError(
      503,
      "database_busy",
      "The database is busy with another writer (another process holds its lock), so nothing was saved. Try again in a few seconds; if this persists, check for a stuck process using the database.",
      { "Retry-After": String(seconds) },
    );
  }
  return null;
}
