import "server-only";
import { getSessionFromCtx } from "better-auth/api";
import type { AuthHookContext } from "./hook-context";

/**
 * Before-hook part answering `/revoke-other-sessions` itself: Better Auth's own tells the current session apart by its
 * token, which a listed session no longer carries (it holds the hash), so it would revoke the current one too.
 */
export async function revokeOtherSessions(ctx: AuthHookContext) {
  if (ctx.path !== "/revoke-other-sessions") return undefined;
  const current = await getSessionFromCtx(ctx);
  if (!current) return undefined;
  const sessions = await ctx.context.internalAdapter.listSessions(current.user.id);
  await Promise.all(sessions.filter((session) => session.id !== current.session.id).map((session) => ctx.context.internalAdapter.deleteSession(session.token)));
  return ctx.json({ status: true });
}
