import "server-only";
import { clientAddressKey } from "./address-key";
import { getAuth } from "./auth";
import { enforceGuestCreationRate, recordGuestCreated } from "./guest-creation-limit";

/** Who is making a request. */
export interface RequestUser {
  id: string;
  name: string;
  email: string | null;
  isGuest: boolean;
}

export interface ResolvedUser {
  /** Null when a read (GET/HEAD/OPTIONS) carries no valid session: reads never create a guest. */
  user: RequestUser | null;
  /** Set-Cookie values to return when a guest was just created for this request. */
  setCookies: string[];
}

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Stands in for "no session" on reads. No row has an empty id, so every per-user query answers as for a user with
 * nothing: empty lists, 404 for any conversation, default settings.
 */
export const NOBODY: RequestUser = Object.freeze({ id: "", name: "", email: null, isGuest: true });

/** True for the stand-in a read without a session is answered as. */
export function isNobody(user: RequestUser): boolean {
  return user.id === NOBODY.id;
}

function toRequestUser(user: { id: string; name: string; email: string; isAnonymous?: boolean | null }): RequestUser {
  const isGuest = Boolean(user.isAnonymous);
  return { id: user.id, name: user.name, email: isGuest ? null : user.email, isGuest };
}

/**
 * The signed-in user; without a valid session, nobody on a read and a new guest (with its session cookie) on a write.
 * Callers must have refused cross-origin writes first: only an explicit same-origin write may mint a guest.
 */
export async function resolveUser(request: Request): Promise<ResolvedUser> {
  const auth = await getAuth();
  const session = await auth.api.getSession({ headers: request.headers });
  if (session) return { user: toRequestUser(session.user), setCookies: [] };
  if (READ_METHODS.has(request.method)) return { user: null, setCookies: [] };
  const addressKey = await clientAddressKey(request);
  await enforceGuestCreationRate(addressKey);
  // Only the host is passed on: a stale session cookie in the request must not make the guest sign-in fail.
  const host = request.headers.get("host") ?? new URL(request.url).host;
  const created = await auth.api.signInAnonymous({ headers: new Headers({ host }), returnHeaders: true });
  if (!created.response) throw new Error("could not create a guest session");
  await recordGuestCreated(addressKey);
  return { user: toRequestUser({ ...created.response.user, isAnonymous: true }), setCookies: created.headers.getSetCookie() };
}
