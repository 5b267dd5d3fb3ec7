/** Who the browser is signed in as (`GET /api/me`): null until its first write makes it a guest. */
export interface SessionUser {
  id: string;
  name: string;
  email: string | null;
  isGuest: boolean;
}

let known: Promise<SessionUser | null> | undefined;
let minted: Promise<SessionUser | null> | undefined;

async function readUser(response: Response): Promise<SessionUser | null> {
  return response.ok ? ((await response.json()) as { user: SessionUser | null }).user : null;
}

function askServer(): Promise<SessionUser | null> {
  const asked = fetch("/api/me", { credentials: "same-origin" })
    .then(readUser)
    .catch(() => {
      if (known === asked) known = undefined;
      return null;
    });
  return asked;
}

function mintSession(): Promise<SessionUser | null> {
  const asked = fetch("/api/me", { method: "POST", credentials: "same-origin" })
    .then(async (response) => {
      const user = await readUser(response);
      if (!user && minted === asked) minted = undefined;
      return user;
    })
    .catch(() => {
      if (minted === asked) minted = undefined;
      return null;
    });
  known = asked;
  return asked;
}

/**
 * Resolves once the browser has a session, before a write: one `POST /api/me` per page (which creates a guest when
 * there is none), so the page's first parallel writes never each mint their own guest. Reads need not call it.
 */
export async function ensureSession(): Promise<void> {
  if ((await (known ??= askServer())) !== null) return;
  minted ??= mintSession();
  await minted;
}

/** The current user, asking the server once per page: null before the first write, or when it cannot be reached. */
export function getSessionUser(): Promise<SessionUser | null> {
  known ??= askServer();
  return known;
}

/** Forgets the cached user and asks again: after signing up, in or out, or changing who the cookie names. */
export function refreshSession(): Promise<SessionUser | null> {
  minted = undefined;
  known = askServer();
  return known;
}
