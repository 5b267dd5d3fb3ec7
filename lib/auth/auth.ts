import "server-only";
import { betterAuth, type BetterAuthOptions } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { anonymous } from "better-auth/plugins";
import { getDbHandle } from "@/lib/db";
import { deleteAccountData, transferConversations } from "@/lib/db/account";
import { adoptGuestSettings } from "@/lib/db/settings";
import { MOVED_CONVERSATIONS_HEADER } from "@/lib/client/auth-contract";
import { env } from "@/lib/env";
import { getAuthSecret } from "./auth-secret";
import { AUTH_COOKIE_PREFIX } from "./cookies";
import { withHashedSessionTokens } from "./hashed-session-tokens";
import { CLIENT_ADDRESS_HEADER } from "./request-origin";
import { authHooks } from "./hooks";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./password-policy";

async function createAuth() {
  const { db, provider } = getDbHandle();
  const settings = env();
  const secret = await getAuthSecret();
  return betterAuth({
    appName: "Forkline",
    secret,
    // Without a public URL, the origin of each request is trusted (self-hosted on any host name, no e-mail links).
    baseURL: settings.FORKLINE_PUBLIC_URL ?? { allowedHosts: ["*"], protocol: "auto", fallback: "http://localhost:3000" },
    // Any host name may serve the app, so Better Auth's own origin check admits every host: the route guard
    // (lib/auth/request-origin.ts) is what refuses an Origin other than the one the request addressed.
    // The Session table keeps only a hash of each token (lib/auth/hashed-session-tokens.ts); cookies carry the token.
    database: (options: BetterAuthOptions) => withHashedSessionTokens(prismaAdapter(db, { provider: provider === "postgres" ? "postgresql" : "sqlite" })(options)),
    emailAndPassword: { enabled: true, minPasswordLength: MIN_PASSWORD_LENGTH, maxPasswordLength: MAX_PASSWORD_LENGTH, autoSignIn: true },
    // The account and all its data go in one transaction; Better Auth's own deletes after it find nothing left.
    user: {
      deleteUser: {
        enabled: true,
        beforeDelete: async (user) => {
          await deleteAccountData({ db, userId: user.id });
        },
      },
    },
    hooks: authHooks(db),
    // Per address, in the database so every instance counts together; per account: lib/auth/sign-in-backoff.ts.
    rateLimit: {
      enabled: settings.FORKLINE_AUTH_RATE_LIMIT ?? settings.NODE_ENV === "production",
      storage: "database",
      customRules: {
        "/sign-in/email": { window: 10, max: 3 },
        "/sign-up/email": { window: 10 * 60, max: 5 },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 365, updateAge: 60 * 60 * 24 },
    telemetry: { enabled: false },
    // One cookie name over http and https; `withAuthCookies` adds `Secure` per request (lib/auth/cookies.ts).
    // Its rate limits key on the address scripts/server.mjs vouches for, never on a client-sent X-Forwarded-For.
    advanced: {
      cookiePrefix: AUTH_COOKIE_PREFIX,
      useSecureCookies: false,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    plugins: [
      anonymous({
        emailDomainName: "guest.forkline.invalid",
        generateName: () => "Guest",
        // Answered in the same response, so the count reaches the browser whichever instance served the request.
        onLinkAccount: async ({ anonymousUser, newUser, ctx }) => {
          const moved = await transferConversations({ db, fromUserId: anonymousUser.user.id, toUserId: newUser.user.id });
          await adoptGuestSettings({ db, fromUserId: anonymousUser.user.id, toUserId: newUser.user.id });
          ctx.setHeader(MOVED_CONVERSATIONS_HEADER, String(moved));
        },
      }),
    ],
  });
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;

const globalForAuth = globalThis as unknown as { forklineAuth?: Promise<Auth> };

/** The process-wide Better Auth instance (created once its secret is read from the environment or the database). */
export function getAuth(): Promise<Auth> {
  globalForAuth.forklineAuth ??= createAuth().catch((error) => {
    globalForAuth.forklineAuth = undefined;
    throw error;
  });
  return globalForAuth.forklineAuth;
}
