import { withAuthCookies } from "@/lib/auth/cookies";
import { rejectCrossOrigin } from "@/lib/auth/request-origin";
import { NOBODY, resolveUser, type RequestUser } from "@/lib/auth/current-user";
import { toErrorResponse } from "./error-response";

type UserHandler<C> = (request: Request, context: C, user: RequestUser) => Promise<Response>;

/**
 * Wraps a route handler: rejects cross-site writes, resolves the user (a read without a session is answered as NOBODY;
 * a same-origin write without one creates a guest), maps errors to JSON, and returns a new guest's session cookie with
 * whatever the handler answered.
 */
export function withUser<C>(handler: UserHandler<C>): (request: Request, context: C) => Promise<Response> {
  return withAuthCookies(async (request: Request, context: C) => {
    let setCookies: string[] = [];
    let response: Response;
    try {
      rejectCrossOrigin(request);
      const resolved = await resolveUser(request);
      setCookies = resolved.setCookies;
      response = await handler(request, context, resolved.user ?? NOBODY);
    } catch (error) {
      response = toErrorResponse(error);
    }
    for (const cookie of setCookies) response.headers.append("set-cookie", cookie);
    return response;
  });
}
