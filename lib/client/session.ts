let ready: Promise<void> | undefined;

/**
 * Resolves once the browser has a session: the first call asks `/api/me`, which creates a guest when there is none,
 * so the page's first parallel requests never each mint their own guest.
 */
export function ensureSession(): Promise<void> {
  ready ??= fetch("/api/me", { credentials: "same-origin" })
    .then(() => undefined)
    .catch(() => {
      ready = undefined;
    });
  return ready;
}
