import { clientAddressKey } from "@/lib/auth/address-key";
import type { RequestUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db";
import { guestSpendSince, recentClientAddressEvents, recordClientAddressEvent } from "@/lib/db/client-address-events";
import { recentTurnTimes } from "@/lib/db/conversation-queries";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { DAY_MS, MINUTE_MS, rateLimited, secondsUntilRoom } from "@/lib/limits/window";

/** Who starts a turn, as the limits see them: the user, and for a guest the keyed hash of its client address. */
export interface TurnRequester {
  userId: string;
  /** Set for guests whose address is known (lib/auth/address-key.ts); accounts are limited per user only. */
  guestAddressKey: string | null;
}

/** The requester of a turn on `request` by `user`. */
export async function turnRequester(request: Request, user: RequestUser): Promise<TurnRequester> {
  return { userId: user.id, guestAddressKey: user.isGuest ? await clientAddressKey(request) : null };
}

/**
 * Refuses a new turn with 429 and Retry-After when the user started FORKLINE_TURNS_PER_MINUTE turns in the last
 * minute, or the guests of its address FORKLINE_GUEST_TURNS_PER_MINUTE; with 402 `budget_exceeded` when the guests of
 * its address spent FORKLINE_GUEST_DAILY_SPEND_USD in the last 24 hours.
 */
export async function enforceTurnLimits(requester: TurnRequester): Promise<void> {
  const settings = env();
  const db = getDb();
  const now = Date.now();
  const perUser = settings.FORKLINE_TURNS_PER_MINUTE;
  if (perUser > 0) {
    const times = await recentTurnTimes({ db, userId: requester.userId, since: new Date(now - MINUTE_MS), limit: perUser });
    const wait = secondsUntilRoom(times, perUser, MINUTE_MS, now);
    if (wait !== null) throw rateLimited(`You can start ${perUser} turns a minute. Try again in ${wait} s.`, wait);
  }
  const addressKey = requester.guestAddressKey;
  if (addressKey === null) return;
  const perAddress = settings.FORKLINE_GUEST_TURNS_PER_MINUTE;
  if (perAddress > 0) {
    const times = await recentClientAddressEvents({ db, addressKey, kind: "guest_turn", since: new Date(now - MINUTE_MS), limit: perAddress });
    const wait = secondsUntilRoom(times, perAddress, MINUTE_MS, now);
    if (wait !== null) {
      throw rateLimited(`Guests from your network can start ${perAddress} turns a minute together. Try again in ${wait} s, or sign up.`, wait);
    }
  }
  const capMicros = Math.round(settings.FORKLINE_GUEST_DAILY_SPEND_USD * 1_000_000);
  if (capMicros > 0 && (await guestSpendSince({ db, addressKey, since: new Date(now - DAY_MS) })) >= capMicros) {
    throw new AppError(
      402,
      "budget_exceeded",
      `Guests from your network have used today's $${settings.FORKLINE_GUEST_DAILY_SPEND_USD} of model spend. Sign up to keep chatting, or try again tomorrow.`,
    );
  }
}

/** Counts a started guest turn against its address's limits. */
export async function recordGuestTurn(requester: TurnRequester, turnId: string): Promise<void> {
  if (requester.guestAddressKey === null) return;
  await recordClientAddressEvent({ db: getDb(), addressKey: requester.guestAddressKey, kind: "guest_turn", turnId, userId: requester.userId });
}
