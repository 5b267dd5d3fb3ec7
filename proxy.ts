import { NextResponse, type NextRequest } from "next/server";
import { createNonce, isDecodablePath, pageContentSecurityPolicy } from "@/lib/http/security-headers";

const BAD_PATH_MESSAGE = "The address contains malformed percent-encoding.";

// Next decodes dynamic route params before any handler runs and answers a bad escape with a plain-text 500.
function badPath(pathname: string): NextResponse {
  if (pathname.startsWith("/api/")) {
    return NextResponse.json({ error: { code: "bad_path", message: BAD_PATH_MESSAGE } }, { status: 400, headers: { "cache-control": "no-store" } });
  }
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad address · Forkline</title></head><body><h1>Bad address</h1><p>${BAD_PATH_MESSAGE}</p><p><a href="/">Back to Forkline</a></p></body></html>`;
  return new NextResponse(page, {
    status: 400,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "content-security-policy": "default-src 'none'; frame-ancestors 'none'" },
  });
}

/** Refuses undecodable paths with 400, and gives every page a Content-Security-Policy with a per-request nonce. */
export function proxy(request: NextRequest): NextResponse {
  const { pathname } = request.nextUrl;
  if (!isDecodablePath(pathname)) return badPath(pathname);
  if (pathname.startsWith("/api/") || pathname.startsWith("/_next/")) return NextResponse.next();

  const nonce = createNonce();
  const csp = pageContentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development" });
  // Next reads the nonce from the request's CSP header and puts it on its own scripts; the layout reads x-nonce.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Static chunks and optimised images are immutable files: they need neither a nonce nor a path check.
  matcher: ["/((?!_next/static/|_next/image).*)"],
};
