import "server-only";
import { createHmac } from "node:crypto";
import { getAuthSecret } from "./auth-secret";
import { clientAddress } from "./request-origin";

/**
 * The request's client address as a keyed hash (so stored limits never hold addresses in clear), or null when the
 * address is unknown: the app runs without scripts/server.mjs (`next dev`), which is the only one that vouches for it.
 */
export async function clientAddressKey(request: Request): Promise<string | null> {
  const address = clientAddress(request);
  if (address === "unknown") return null;
  return createHmac("sha256", await getAuthSecret()).update(`client-address:${address}`).digest("base64url");
}
