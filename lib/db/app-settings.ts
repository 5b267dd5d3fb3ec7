import { randomBytes } from "node:crypto";
import type { Db } from "./create-client.ts";

/** A setting shared by every instance, created with `make()` by whichever instance asks first. */
export async function getOrCreateSetting(db: Db, key: string, make: () => string): Promise<string> {
  const existing = await db.appSetting.findUnique({ where: { key } });
  if (existing) return existing.value;
  try {
    await db.appSetting.create({ data: { key, value: make() } });
  } catch (error) {
    if ((error as { code?: string })?.code !== "P2002") throw error;
  }
  return (await db.appSetting.findUniqueOrThrow({ where: { key } })).value;
}

/** A random secret for signing cookies, generated once per database. */
export const randomSecret = () => randomBytes(32).toString("base64url");
