import "server-only";
import { getDbHandle } from "@/lib/db";
import { getOrCreateSetting, randomSecret } from "@/lib/db/app-settings";
import { env } from "@/lib/env";

const globalForSecret = globalThis as unknown as { forklineAuthSecret?: Promise<string> };

/** The secret that signs session cookies and keys address hashes: FORKLINE_AUTH_SECRET, or one kept in the database. */
export function getAuthSecret(): Promise<string> {
  const configured = env().FORKLINE_AUTH_SECRET;
  if (configured) return Promise.resolve(configured);
  globalForSecret.forklineAuthSecret ??= getOrCreateSetting(getDbHandle().db, "auth_secret", randomSecret).catch((error) => {
    globalForSecret.forklineAuthSecret = undefined;
    throw error;
  });
  return globalForSecret.forklineAuthSecret;
}
