import "server-only";
import { getDb } from "@/lib/db";
import { recentClientAddressEvents, recordClientAddressEvent } from "@/lib/db/client-address-events";
import { env } from "@/lib/env";
import { HOUR_MS, rateLimited, secondsUntilRoom } from "@/lib/limits/window";

/** Refuses a new guest with 429 and Retry-After when the address created FORKLINE_GUESTS_PER_HOUR in the last hour. */
export async function enforceGuestCreationRate(addressKey: string | null): Promise<void> {
  const limit = env().FORKLINE_GUESTS_PER_HOUR;
  if (addressKey === null || limit === 0) return;
  const now = Date.now();
  const times = await recentClientAddressEvents({ db: getDb(), addressKey, kind: "guest", since: new Date(now - HOUR_MS), limit });
  const wait = secondsUntilRoom(times, limit, HOUR_MS, now);
  if (wait !== null) {
    throw rateLimited(`Too many new guests from your network (${limit} an hour). Try again in ${Math.ceil(wait / 60)} min, or sign in.`, wait);
  }
}

/** Counts a created guest against its address's hourly limit. */
export async function recordGuestCreated(addressKey: string | null): Promise<void> {
  if (addressKey === null) return;
  await recordClientAddressEvent({ db: getDb(), addressKey, kind: "guest" });
}
