import "server-only";
import type { Db } from "./create-client.ts";

/** One account's sign-in counter (SignInThrottle). */
export interface SignInThrottleState {
  attempts: number;
  lockouts: number;
  lockedUntil: Date | null;
}

const unlockedAt = (now: Date) => ({ OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] });

/**
 * Counts one attempt for `key` when it is not locked and has attempts left under `limit`; false otherwise.
 * The count is taken before the password is checked, so concurrent guesses cannot outrun it.
 */
export async function claimSignInAttempt(args: { db: Db; key: string; limit: number; now: Date }): Promise<boolean> {
  const { db, key, limit, now } = args;
  const claimed = await db.signInThrottle.updateMany({
    where: { key, attempts: { lt: limit }, ...unlockedAt(now) },
    data: { attempts: { increment: 1 }, updatedAt: now },
  });
  if (claimed.count > 0) return true;
  try {
    await db.signInThrottle.create({ data: { key, attempts: 1, updatedAt: now } });
    return true;
  } catch (error) {
    if ((error as { code?: string })?.code !== "P2002") throw error;
    return false;
  }
}

/** The counter of `key`, or null when it has none. */
export function readSignInThrottle(args: { db: Db; key: string }): Promise<SignInThrottleState | null> {
  return args.db.signInThrottle.findUnique({ where: { key: args.key }, select: { attempts: true, lockouts: true, lockedUntil: true } });
}

/**
 * Locks `key` until `until` when it is still the unlocked, used-up counter `seen` (another instance may have locked
 * it first); true when this call locked it.
 */
export async function lockSignIns(args: { db: Db; key: string; seen: SignInThrottleState; lockouts: number; until: Date; now: Date }): Promise<boolean> {
  const { db, key, seen, now } = args;
  const locked = await db.signInThrottle.updateMany({
    where: { key, attempts: seen.attempts, lockouts: seen.lockouts, ...unlockedAt(now) },
    data: { attempts: 0, lockouts: args.lockouts, lockedUntil: args.until, updatedAt: now },
  });
  return locked.count > 0;
}

/** Forgets the counter of `key` (a successful sign-in). */
export async function clearSignInThrottle(args: { db: Db; key: string }): Promise<void> {
  await args.db.signInThrottle.deleteMany({ where: { key: args.key } });
}

/** Deletes counters untouched since `before` whose lockout is over (e-mails tried once and never again). */
export async function pruneSignInThrottles(args: { db: Db; before: Date; now: Date }): Promise<void> {
  await args.db.signInThrottle.deleteMany({ where: { updatedAt: { lt: args.before }, ...unlockedAt(args.now) } });
}
