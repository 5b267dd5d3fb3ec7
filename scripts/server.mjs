// The production HTTP server (`npm start` runs it): Next.js behind a listener that knows the client's real address.
// Route handlers cannot see the socket, and Next keeps any `X-Forwarded-*` the client sent, so without this a client
// could pick its own address (dodging rate limits) or claim https. Here forwarding headers survive only from a proxy
// named by FORKLINE_TRUST_PROXY, and `X-Forkline-Client-Ip` always carries the address we believe.
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import proxyaddr from "proxy-addr";
import { parseTrustProxy } from "./trust-proxy.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.env.NODE_ENV ??= "production";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

function option(names, fallback) {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i += 1) {
    const [flag, inline] = args[i].split("=", 2);
    if (names.includes(flag)) return inline ?? args[i + 1];
  }
  return fallback;
}

const port = Number(option(["-p", "--port"], process.env.PORT ?? "3000"));
const hostname = option(["-H", "--hostname"], undefined);
/** Seconds a client may take to send its headers / its whole request; slow clients otherwise hold memory. */
const headersTimeoutMs = Number(process.env.FORKLINE_HEADERS_TIMEOUT_MS ?? 15_000);
const requestTimeoutMs = Number(process.env.FORKLINE_REQUEST_TIMEOUT_MS ?? 60_000);
for (const [name, value] of [["FORKLINE_HEADERS_TIMEOUT_MS", headersTimeoutMs], ["FORKLINE_REQUEST_TIMEOUT_MS", requestTimeoutMs]]) {
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`\nForkline cannot start:\n  ${name}: must be a whole number of milliseconds above 0\n`);
    process.exit(1);
  }
}

let trust;
try {
  trust = parseTrustProxy(process.env.FORKLINE_TRUST_PROXY);
} catch (error) {
  console.error(`\nForkline cannot start:\n  FORKLINE_TRUST_PROXY: ${error.message}\n`);
  process.exit(1);
}

const FORWARDING_HEADERS = ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "forwarded"];

let warnedUntrustedProxy = false;

/** Drops forwarding headers from untrusted peers and records the client address Forkline will use. */
function normaliseRequest(req) {
  const peer = req.socket.remoteAddress ?? "";
  const fromTrustedProxy = trust !== null && trust(peer, 0);
  if (!fromTrustedProxy && req.headers["x-forwarded-proto"] && !warnedUntrustedProxy) {
    warnedUntrustedProxy = true;
    console.warn(`forkline: ignoring X-Forwarded-* headers from ${peer}; if that is your reverse proxy, set FORKLINE_TRUST_PROXY (e.g. loopback) so cookies follow its https`);
  }
  if (!fromTrustedProxy) for (const name of FORWARDING_HEADERS) delete req.headers[name];
  req.headers["x-forkline-client-ip"] = fromTrustedProxy ? proxyaddr(req, trust) : peer;
}

const { default: next } = await import("next");
const app = next({ dev: false, dir: root, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

// Node checks those deadlines only every `connectionsCheckingInterval` (30 s by default), which would let a slow
// client hold its connection up to 30 s past them.
const connectionsCheckingInterval = Math.max(250, Math.min(1_000, headersTimeoutMs / 4));
const server = http.createServer({ connectionsCheckingInterval }, (req, res) => {
  normaliseRequest(req);
  handle(req, res).catch((error) => {
    console.error(`failed to handle ${req.method} ${req.url}`, error);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
server.headersTimeout = headersTimeoutMs;
server.requestTimeout = requestTimeoutMs;
server.on("error", (error) => {
  console.error(`\nForkline cannot start: ${error.message}\n`);
  process.exit(1);
});
server.listen(port, hostname, () => {
  const shown = hostname && hostname !== "0.0.0.0" && hostname !== "::" ? hostname : "localhost";
  console.log(`forkline: ready on http://${shown}:${port}${hostname ? "" : " (all interfaces)"}`);
});

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]]) process.on(signal, () => process.exit(code));
