import { AppError } from "@/lib/http/app-error";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Seconds until the oldest of `limit` events in a sliding window leaves it, or null while there is room. */
export function secondsUntilRoom(times: Date[], limit: number, windowMs: number, now: number): number | null {
  if (times.length < limit) return null;
  return Math.max(1, Math.ceil((times[0]!.getTime() + windowMs - now) / 1000));
}

/** 429 `rate_limited` with Retry-After. */
export function rateLimited(message: string, retryAfterSeconds: number): AppError {
  return new AppError(429, "rate_limited", message, { "retry-after": String(retryAfterSeconds) });
}
