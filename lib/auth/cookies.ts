import "server-only";
import { parseCookies, setRequestCookie } from "better-auth/cookies";
import { env } from "@/lib/env";

/** Better Auth's cookie prefix: the session cookie is `forkline.session_token` in dev and production alike. */
export const AUTH_COOKIE_PREFIX = "forkline";
export const SESSION_COOKIE = `${AUTH_COOKIE_PREFIX}.session_token`;

/** Names earlier versions used (dev, and production's `__Secure-` one); a request carrying one is adopted. */
const LEGACY_SESSION_COOKIES = ["__Secure-better-auth.session_token", "better-auth.session_token"] as const;

const SESSION_MAX_AGE_S = 60 * 60 * 24 * 365;

let warnedUntrustedHttps = false;

/**
 * Whether the browser reached us over https: the configured public URL says so, or a trusted proxy
 * (`FORKLINE_TRUST_PROXY`) says so in `X-Forwarded-Proto`. The server only speaks http, and Next fills
 * `X-Forwarded-Proto` from whatever the client sent, so without a trusted proxy the header proves nothing.
 */
export function requestIsHttps(request: Request): boolean {
  const settings = env();
  if (settings.FORKLINE_PUBLIC_URL) return settings.FORKLINE_PUBLIC_URL.startsWith("https://");
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (settings.FORKLINE_TRUST_PROXY) return forwarded === "https";
  if (forwarded === "https" && !warnedUntrustedHttps) {
    warnedUntrustedHttps = true;
    console.warn("forkline: requests say they came over https (X-Forwarded-Proto); set FORKLINE_TRUST_PROXY (e.g. loopback) if a proxy you run terminates TLS, so session cookies are marked Secure");
  }
  return false;
}

interface AdoptedCookie {
  request: Request;
  /** The legacy session cookie's value when it was moved to the current name for this request. */
  legacyValue?: string;
}

/** Presents a legacy session cookie under the current name, so a guest from an older version keeps their chats. */
export function adoptLegacySessionCookie(request: Request): AdoptedCookie {
  const header = request.headers.get("cookie");
  if (!header) return { request };
  const cookies = parseCookies(header);
  if (cookies.has(SESSION_COOKIE)) return { request };
  const legacyValue = LEGACY_SESSION_COOKIES.map((name) => cookies.get(name)).find((value) => Boolean(value));
  if (!legacyValue) return { request };
  const headers = new Headers(request.headers);
  setRequestCookie(headers, SESSION_COOKIE, legacyValue);
  return { request: new Request(request, { headers }), legacyValue };
}

function serializeCookie(name: string, value: string, attributes: { maxAge: number; secure: boolean }): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, "Path=/", `Max-Age=${attributes.maxAge}`, "HttpOnly", "SameSite=Lax"];
  if (attributes.secure) parts.push("Secure");
  return parts.join("; ");
}

function hasAttribute(setCookie: string, attribute: string): boolean {
  return setCookie
    .split(";")
    .slice(1)
    .some((part) => part.trim().toLowerCase() === attribute);
}

function cookieName(setCookie: string): string {
  return setCookie.slice(0, setCookie.indexOf("=")).trim();
}

/**
 * The response with its auth cookies made `Secure` exactly when the request was https, the adopted legacy cookie
 * re-issued under the current name and the legacy ones expired.
 */
export function finalizeAuthCookies(request: Request, response: Response, adopted: AdoptedCookie): Response {
  const setCookies = response.headers.getSetCookie();
  if (setCookies.length === 0 && adopted.legacyValue === undefined) return response;
  const secure = requestIsHttps(request);
  const headers = new Headers(response.headers);
  headers.delete("set-cookie");
  for (const setCookie of setCookies) {
    const ours = cookieName(setCookie).startsWith(`${AUTH_COOKIE_PREFIX}.`);
    headers.append("set-cookie", ours && secure && !hasAttribute(setCookie, "secure") ? `${setCookie}; Secure` : setCookie);
  }
  if (adopted.legacyValue !== undefined) {
    if (!setCookies.some((setCookie) => cookieName(setCookie) === SESSION_COOKIE)) {
      headers.append("set-cookie", serializeCookie(SESSION_COOKIE, adopted.legacyValue, { maxAge: SESSION_MAX_AGE_S, secure }));
    }
    // A `__Secure-` cookie can only be replaced (here: expired) by a response that marks it Secure.
    for (const name of LEGACY_SESSION_COOKIES) {
      headers.append("set-cookie", serializeCookie(name, "", { maxAge: 0, secure: secure || name.startsWith("__Secure-") }));
    }
  }
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Wraps a handler so it reads legacy session cookies and answers with cookies fit for the request's scheme. */
export function withAuthCookies<A extends unknown[]>(
  handler: (request: Request, ...rest: A) => Promise<Response>,
): (request: Request, ...rest: A) => Promise<Response> {
  return async (request, ...rest) => {
    const adopted = adoptLegacySessionCookie(request);
    const response = await handler(adopted.request, ...rest);
    return finalizeAuthCookies(request, response, adopted);
  };
}
