import "server-only";
import { createHmac } from "node:crypto";
import { APIError } from "better-auth/api";
import type { Db } from "@/lib/db";
import { claimSignInAttempt, clearSignInThrottle, lockSignIns, pruneSignInThrottles, readSignInThrottle } from "@/lib/db/sign-in-throttle";
import type { AuthHookContext } from "./hook-context";

/**
 * Per-account sign-in backoff, whatever address the guesses come from: `freeAttempts` attempts, then the account
 * refuses sign-ins for `firstDelayS`, doubling with each further lockout up to `maxDelayS`. A success resets it.
 * Short growing delays rather than a hard lock, so a stranger can slow an account's sign-in but not shut it.
 */
export const SIGN_IN_BACKOFF = { freeAttempts: 5, firstDelayS: 30, maxDelayS: 15 * 60, forgetAfterS: 24 * 60 * 60 } as const;

export const TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS";
const SIGN_IN_PATH = "/sign-in/email";
const CLAIM_TRIES = 3;

/** Seconds of the lockout that follows `earlierLockouts` lockouts. */
export function lockoutDelayS(earlierLockouts: number): number {
  return Math.min(SIGN_IN_BACKOFF.firstDelayS * 2 ** Math.min(earlierLockouts, 30), SIGN_IN_BACKOFF.maxDelayS);
}

/** The account's counter key: an HMAC of the e-mail as Better Auth matches it (case-insensitively), so no address is stored. */
export function signInKey(secret: string, email: string): string {
  return createHmac("sha256", secret).update(email.trim().toLowerCase()).digest("base64url");
}

function waitPhrase(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

/** 429 `TOO_MANY_ATTEMPTS` with `Retry-After`. */
export function tooManyAttempts(retryAfterS: number): APIError {
  return new APIError(
    "TOO_MANY_REQUESTS",
    { code: TOO_MANY_ATTEMPTS, message: `Too many sign-in attempts for this account. Try again in ${waitPhrase(retryAfterS)}.`, retryAfter: retryAfterS },
    { "Retry-After": String(retryAfterS) },
  );
}

/** Counts a sign-in attempt for `key`, or answers how many seconds the account still refuses them. */
export async function admitSignIn(args: { db: Db; key: string; now: Date }): Promise<{ retryAfterS: number } | null> {
  const { db, key, now } = args;
  for (let i = 0; i < CLAIM_TRIES; i++) {
    if (await claimSignInAttempt({ db, key, limit: SIGN_IN_BACKOFF.freeAttempts, now })) return null;
    const seen = await readSignInThrottle({ db, key });
    if (!seen) continue;
    if (seen.lockedUntil && seen.lockedUntil > now) return { retryAfterS: Math.max(1, Math.ceil((seen.lockedUntil.getTime() - now.getTime()) / 1000)) };
    if (seen.attempts < SIGN_IN_BACKOFF.freeAttempts) continue;
    const forgotten = seen.lockedUntil !== null && now.getTime() - seen.lockedUntil.getTime() > SIGN_IN_BACKOFF.forgetAfterS * 1000;
    const earlier = forgotten ? 0 : seen.lockouts;
    const delayS = lockoutDelayS(earlier);
    const until = new Date(now.getTime() + delayS * 1000);
    if (await lockSignIns({ db, key, seen, lockouts: earlier + 1, until, now })) {
      await pruneSignInThrottles({ db, before: new Date(now.getTime() - SIGN_IN_BACKOFF.forgetAfterS * 1000), now });
      return { retryAfterS: delayS };
    }
  }
  // Others changed the counter each time: refuse rather than let an unmetered guess through.
  return { retryAfterS: 1 };
}

function signInEmail(ctx: AuthHookContext): string | null {
  if (ctx.path !== SIGN_IN_PATH) return null;
  const email = (ctx.body as Record<string, unknown> | undefined)?.email;
  return typeof email === "string" && email !== "" ? email : null;
}

/** Before-hook part: refuses a sign-in (before any password is checked) while its account is backing off. */
export async function enforceSignInBackoff(ctx: AuthHookContext, db: Db): Promise<void> {
  const email = signInEmail(ctx);
  if (!email) return;
  const refused = await admitSignIn({ db, key: signInKey(ctx.context.secret, email), now: new Date() });
  if (refused) throw tooManyAttempts(refused.retryAfterS);
}

/** After-hook part: a successful sign-in resets its account's count. */
export async function resetSignInBackoff(ctx: AuthHookContext, db: Db): Promise<void> {
  const email = signInEmail(ctx);
  if (!email || !ctx.context.newSession) return;
  await clearSignInThrottle({ db, key: signInKey(ctx.context.secret, email) });
}
