import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { anonymous } from "better-auth/plugins";
import { getDbHandle } from "@/lib/db";
import { getOrCreateSetting, randomSecret, transferConversations } from "@/lib/db/app-settings";
import { env } from "@/lib/env";

async function createAuth() {
  const { db, provider } = getDbHandle();
  const settings = env();
  const secret = settings.FORKLINE_AUTH_SECRET ?? (await getOrCreateSetting(db, "auth_secret", randomSecret));
  return betterAuth({
    appName: "Forkline",
    secret,
    // Without a public URL, the origin of each request is trusted (self-hosted on any host name, no e-mail links).
    baseURL: settings.FORKLINE_PUBLIC_URL ?? { allowedHosts: ["*"], protocol: "auto", fallback: "http://localhost:3000" },
    database: prismaAdapter(db, { provider: provider === "postgres" ? "postgresql" : "sqlite" }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    session: { expiresIn: 60 * 60 * 24 * 365, updateAge: 60 * 60 * 24 },
    telemetry: { enabled: false },
    advanced: { defaultCookieAttributes: { httpOnly: true, sameSite: "lax" } },
    plugins: [
      anonymous({
        emailDomainName: "guest.forkline.invalid",
        generateName: () => "Guest",
        onLinkAccount: async ({ anonymousUser, newUser }) => {
          await transferConversations({ db, fromUserId: anonymousUser.user.id, toUserId: newUser.user.id });
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
