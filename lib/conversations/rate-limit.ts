import { getDb } from "@/lib/db";
import { recentTurnTimes } from "@/lib/db/conversation-queries";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";

const WINDOW_MS = 60_000;

/** Refuses a new turn with 429 and Retry-After when the user started FORKLINE_TURNS_PER_MINUTE turns in the last minute. */
export async function enforceTurnRate(userId: string): Promise<void> {
  const limit = env().FORKLINE_TURNS_PER_MINUTE;
  if (limit === 0) return;
  const now = Date.now();
  const times = await recentTurnTimes({ db: getDb(), userId, since: new Date(now - WINDOW_MS), limit });
  if (times.length < limit) return;
  const retryAfter = Math.max(1, Math.ceil((times[0]!.getTime() + WINDOW_MS - now) / 1000));
  throw new AppError(429, "rate_limited", `You can start ${limit} turns a minute. Try again in ${retryAfter} s.`, {
    "retry-after": String(retryAfter),
  });
}
