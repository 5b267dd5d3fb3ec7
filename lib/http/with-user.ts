import { resolveUser, type RequestUser } from "@/lib/auth/current-user";
import { AppError } from "./app-error";
import { toErrorResponse } from "./error-response";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Refuses state-changing requests that a browser sent from another site (cookies are SameSite=Lax as well). */
export function rejectCrossSite(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  if (request.headers.get("sec-fetch-site") === "cross-site") {
    throw new AppError(403, "cross_site_request", "Requests from other sites are not allowed.");
  }
  const origin = request.headers.get("origin");
  if (!origin) return;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = "";
  }
  if (originHost !== host) throw new AppError(403, "cross_site_request", "Requests from other sites are not allowed.");
}

type UserHandler<C> = (request: Request, context: C, user: RequestUser) => Promise<Response>;

/**
 * Wraps a route handler: rejects cross-site writes, resolves the user (creating a guest when there is no session),
 * maps errors to JSON, and returns a new guest's session cookie with whatever the handler answered.
 */
export function withUser<C>(handler: UserHandler<C>): (request: Request, context: C) => Promise<Response> {
  return async (request, context) => {
    let setCookies: string[] = [];
    let response: Response;
    try {
      rejectCrossSite(request);
      const resolved = await resolveUser(request);
      setCookies = resolved.setCookies;
      response = await handler(request, context, resolved.user);
    } catch (error) {
      response = toErrorResponse(error);
    }
    for (const cookie of setCookies) response.headers.append("set-cookie", cookie);
    return response;
  };
}
