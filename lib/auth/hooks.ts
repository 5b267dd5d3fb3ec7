import "server-only";
import { createAuthMiddleware } from "better-auth/api";
import type { Db } from "@/lib/db";
import { enforceAccountPolicy } from "./password-policy";
import { revokeOtherSessions } from "./revoke-other-sessions";
import { enforceSignInBackoff, resetSignInBackoff } from "./sign-in-backoff";
import { maskExistingAccount, refuseTakenEmail } from "./sign-up-privacy";

/**
 * Better Auth's `hooks`: account policy, taken e-mails, sign-in backoff and revoking other
 * sessions before an endpoint; backoff reset after.
 */
export function authHooks(db: Db) {
  return {
    before: createAuthMiddleware(async (ctx) => {
      await enforceAccountPolicy(ctx);
      await refuseTakenEmail(ctx);
      await enforceSignInBackoff(ctx, db);
      return revokeOtherSessions(ctx);
    }),
    after: createAuthMiddleware(async (ctx) => {
      await resetSignInBackoff(ctx, db);
      maskExistingAccount(ctx);
    }),
  };
}
