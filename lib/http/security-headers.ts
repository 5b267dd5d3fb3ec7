// Security headers shared by proxy.ts (per-request CSP with a nonce) and next.config.js (static headers).

/** A fresh, unguessable CSP nonce (128 random bits, base64). */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The Content-Security-Policy of every page. Scripts run only with this request's nonce ('strict-dynamic' lets them
 * load Next's chunks); style attributes stay allowed because React and recharts set `style=`; images may come from
 * anywhere because a remote image in a reply loads only after a click (components/markdown/remote-image.tsx).
 */
export function pageContentSecurityPolicy(nonce: string, { dev = false }: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    // `next dev` uses eval for its error overlay and source maps; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // In dev, Next injects <style> without a nonce; a nonce would disable 'unsafe-inline', so dev uses only the latter.
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob: https: http:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "media-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Path segments that cannot be percent-decoded (`%ff`, `%C0%AF`, a lone `%`) make Next's router throw. */
export function isDecodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}
