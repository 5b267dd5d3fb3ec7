// FORKLINE_TRUST_PROXY: which peers may tell Forkline the client's address and scheme (X-Forwarded-For / -Proto).
import proxyaddr from "proxy-addr";

/**
 * `0`/`false`/unset: nobody (browsers connect directly). `1`/`true`: the directly connected peer, whatever its
 * address (one proxy in front). Otherwise a comma-separated list of addresses, CIDR ranges or proxy-addr's names
 * (`loopback`, `linklocal`, `uniquelocal`). Returns proxy-addr's trust function, or null for nobody; throws on a bad list.
 */
export function parseTrustProxy(value) {
  const text = (value ?? "").trim().toLowerCase();
  if (text === "" || text === "0" || text === "false") return null;
  if (text === "1" || text === "true") return (_address, hop) => hop < 1;
  const list = text.split(",").map((entry) => entry.trim()).filter(Boolean);
  try {
    return proxyaddr.compile(list);
  } catch (error) {
    throw new Error(`"${value}" is not 0, 1 or a list of addresses / CIDR ranges (${error.message})`);
  }
}
