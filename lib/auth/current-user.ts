import "server-only";
import { getAuth } from "./auth";

/** Who is making a request. */
export interface RequestUser {
  id: string;
  name: string;
  email: string | null;
  isGuest: boolean;
}

export interface ResolvedUser {
  user: RequestUser;
  /** Set-Cookie values to return when a guest was just created for this request. */
  setCookies: string[];
}

function toRequestUser(user: { id: string; name: string; email: string; isAnonymous?: boolean | null }): RequestUser {
  const isGuest = Boolean(user.isAnonymous);
  return { id: user.id, name: user.name, email: isGuest ? null : user.email, isGuest };
}

/** The signed-in user, or a new guest (with its session cookie) when the request carries no valid session. */
export async function resolveUser(request: Request): Promise<ResolvedUser> {
  const auth = await getAuth();
  const session = await auth.api.getSession({ headers: request.headers });
  if (session) return { user: toRequestUser(session.user), setCookies: [] };
  // Only the host is passed on: a stale session cookie in the request must not make the guest sign-in fail.
  const host = request.headers.get("host") ?? new URL(request.url).host;
  const created = await auth.api.signInAnonymous({ headers: new Headers({ host }), returnHeaders: true });
  if (!created.response) throw new Error("could not create a guest session");
  return { user: toRequestUser({ ...created.response.user, isAnonymous: true }), setCookies: created.headers.getSetCookie() };
}
