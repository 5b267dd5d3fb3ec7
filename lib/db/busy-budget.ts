import { z } from "zod";

/** FORKLINE_DB_BUSY_TIMEOUT_MS: how long one request may wait, retries included, for a database held by another writer. */
export const DbBusyTimeoutMs = z.coerce
  .number({ message: "FORKLINE_DB_BUSY_TIMEOUT_MS must be a number of milliseconds" })
  .int("FORKLINE_DB_BUSY_TIMEOUT_MS must be a whole number of milliseconds")
  .min(200, "FORKLINE_DB_BUSY_TIMEOUT_MS is at least 200")
  .max(60_000, "FORKLINE_DB_BUSY_TIMEOUT_MS is at most 60000")
  .default(10_000);

/** The busy budget from the environment (lib/env validates it at start; lib/db reads it without the app's env). */
export function dbBusyBudgetMs(): number {
  const parsed = DbBusyTimeoutMs.safeParse(process.env.FORKLINE_DB_BUSY_TIMEOUT_MS || undefined);
  return parsed.success ? parsed.data : 10_000;
}
