import type { createAuthMiddleware } from "better-auth/api";

/** What a Better Auth before/after hook receives (path, body, headers, `context.returned`, `context.secret`, …). */
export type AuthHookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];
