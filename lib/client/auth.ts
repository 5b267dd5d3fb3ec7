import { createAuthClient } from "better-auth/client";
import { anonymousClient } from "better-auth/client/plugins";
import { ApiError } from "./api";
import { MOVED_CONVERSATIONS_HEADER } from "./auth-contract";
import { ensureSession, refreshSession, type SessionUser } from "./session";

type AuthClient = ReturnType<typeof makeClient>;

function makeClient() {
  return createAuthClient({ basePath: "/api/auth", plugins: [anonymousClient()] });
}

let client: AuthClient | undefined;

// Created on first use, in the browser, so its base URL is the page's origin.
function authClient(): AuthClient {
  client ??= makeClient();
  return client;
}

interface AuthResult<T> {
  data: T | null;
  error: { code?: string; message?: string; status: number; statusText: string } | null;
}

function unwrap<T>(result: AuthResult<T>): T {
  if (result.error) {
    const { code, message, status, statusText } = result.error;
    throw new ApiError(code ?? `http_${status}`, message || statusText || "Request failed", status);
  }
  return result.data as T;
}

/** What signing up or in did: the account, and how many of the guest's conversations it took over. */
export interface SignedIn {
  user: SessionUser | null;
  movedConversations: number;
}

async function linkAccount(run: (onResponse: (context: { response: Response }) => void) => Promise<AuthResult<unknown>>): Promise<SignedIn> {
  // The guest's cookie must go with the request, or there is nothing to hand over.
  await ensureSession();
  let moved = 0;
  unwrap(await run(({ response }) => {
    moved = Number(response.headers.get(MOVED_CONVERSATIONS_HEADER) ?? 0) || 0;
  }));
  return { user: await refreshSession(), movedConversations: moved };
}

/** Creates an account from the current guest (their conversations move to it) and signs in. */
export function signUp(input: { name: string; email: string; password: string }): Promise<SignedIn> {
  return linkAccount((onResponse) => authClient().signUp.email({ ...input, fetchOptions: { onResponse } }));
}

/** Signs in to an existing account; a guest's conversations move to it. */
export function signIn(input: { email: string; password: string }): Promise<SignedIn> {
  return linkAccount((onResponse) => authClient().signIn.email({ ...input, fetchOptions: { onResponse } }));
}

/** Ends the session; the next request gets a new guest. */
export async function signOut(): Promise<void> {
  unwrap(await authClient().signOut());
  await refreshSession();
}

/** Changes the password and signs out every other browser of this account. */
export async function changePassword(input: { currentPassword: string; newPassword: string }): Promise<void> {
  unwrap(await authClient().changePassword({ ...input, revokeOtherSessions: true }));
}

/** Deletes the account and all its data (the password confirms it); the browser becomes a new guest. */
export async function deleteAccount(input: { password: string }): Promise<void> {
  unwrap(await authClient().deleteUser({ password: input.password }));
  await refreshSession();
}
