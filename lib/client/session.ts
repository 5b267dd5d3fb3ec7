/** Who the browser is signed in as (`GET /api/me`): a guest until they sign up or sign in. */
export interface SessionUser {
  id: string;
  name: string;
  email: string | null;
  isGuest: boolean;
}

let ready: Promise<SessionUser | null> | undefined;

function askServer(): Promise<SessionUser | null> {
  const asked = fetch("/api/me", { credentials: "same-origin" })
    .then(async (response) => (response.ok ? ((await response.json()) as { user: SessionUser }).user : null))
    .catch(() => {
      if (ready === asked) ready = undefined;
      return null;
    });
  return asked;
}

/**
 * Resolves once the browser has a session: the first call asks `/api/me`, which creates a guest when there is none,
 * so the page's first parallel requests never each mint their own guest.
 */
export async function ensureSession(): Promise<void> {
  ready ??= askServer();
  await ready;
}

/** The current user, asking the server once per page (null when the server cannot be reached). */
export function getSessionUser(): Promise<SessionUser | null> {
  ready ??= askServer();
  return ready;
}

/** Forgets the cached user and asks again: after signing up, in or out, or changing who the cookie names. */
export function refreshSession(): Promise<SessionUser | null> {
  ready = askServer();
  return ready;
}
