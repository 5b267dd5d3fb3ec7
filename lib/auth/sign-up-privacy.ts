import "server-only";
import { APIError } from "better-auth/api";
import type { AuthHookContext } from "./hook-context";

export const SIGN_UP_FAILED = "SIGN_UP_FAILED";
const SIGN_UP_PATH = "/sign-up/email";
const EXISTING_ACCOUNT_CODES = new Set(["USER_ALREADY_EXISTS", "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL"]);

const signUpFailed = () =>
  new APIError("BAD_REQUEST", { code: SIGN_UP_FAILED, message: "Could not create an account with these details. If you already have an account, sign in." });

/**
 * Before-hook part: refuses a sign-up with a taken e-mail with a generic 400 `SIGN_UP_FAILED` instead of Better Auth's
 * 422 "user already exists", so the answer does not confirm the account (docs/security.md says what still differs).
 */
export async function refuseTakenEmail(ctx: AuthHookContext): Promise<void> {
  if (ctx.path !== SIGN_UP_PATH) return;
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  if (typeof body.email !== "string" || typeof body.password !== "string") return;
  const existing = await ctx.context.internalAdapter.findUserByEmail(body.email.toLowerCase());
  if (!existing) return;
  // A new account's sign-up hashes the password; hashing here too keeps the two answers about equally slow.
  await ctx.context.password.hash(body.password);
  throw signUpFailed();
}

/** After-hook part: the same answer's body when a concurrent sign-up took the e-mail after the before-hook looked. */
export function maskExistingAccount(ctx: AuthHookContext): void {
  if (ctx.path !== SIGN_UP_PATH) return;
  const code = (ctx.context.returned as { body?: { code?: unknown } } | undefined)?.body?.code;
  if (typeof code === "string" && EXISTING_ACCOUNT_CODES.has(code)) throw signUpFailed();
}
