import "server-only";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";

/** Set by scripts/server.mjs on every request (overwriting anything the client sent): the address we believe. */
export const CLIENT_ADDRESS_HEADER = "x-forkline-client-ip";

/** The client's address for rate limits, or "unknown" when the app runs without scripts/server.mjs (next dev). */
export function clientAddress(request: Request): string {
  return request.headers.get(CLIENT_ADDRESS_HEADER) || "unknown";
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const crossSite = () => new AppError(403, "cross_site_request", "Requests from other sites are not allowed.");

/**
 * The host the browser addressed: the `Host` header, or a trusted proxy's `X-Forwarded-Host`. Next copies `Host` into
 * `X-Forwarded-Host` only when the client sent none, so without a trusted proxy that header is the client's word.
 */
export function requestHost(request: Request): string {
  const forwarded = env().FORKLINE_TRUST_PROXY ? request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  return (forwarded || request.headers.get("host") || new URL(request.url).host).toLowerCase();
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Refuses a state-changing request that a page of another origin sent: another site, or a sibling subdomain of the
 * same site (which the `SameSite=Lax` cookie does not stop). The Origin is compared with the addressed host (or the
 * configured public URL); schemes are not compared, since behind an untrusted TLS proxy the request looks like http.
 */
export function rejectCrossOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite === "cross-site" || fetchSite === "same-site") throw crossSite();
  const origin = request.headers.get("origin");
  if (!origin) return;
  const publicUrl = env().FORKLINE_PUBLIC_URL;
  const expected = publicUrl ? new URL(publicUrl).host.toLowerCase() : requestHost(request);
  if (originHost(origin) !== expected) throw crossSite();
}

/**
 * Auth endpoints take JSON only: a form post (urlencoded, multipart, text/plain) needs no CORS preflight, so a page
 * elsewhere could sign the visitor in to an account of its choosing.
 */
export function requireJsonBody(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const type = request.headers.get("content-type");
  if (type === null) return;
  if (type.split(";")[0]!.trim().toLowerCase() !== "application/json") {
    throw new AppError(415, "unsupported_media_type", "Send the request body as application/json.");
  }
}
