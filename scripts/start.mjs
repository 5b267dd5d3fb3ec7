// `npm start`: the production server. Builds on first start and whenever the sources changed since the last build,
// then runs scripts/server.mjs with the given arguments (`npm start -- -p 8080 -H 127.0.0.1`).
import { spawn } from "node:child_process";
import path from "node:path";
import { build } from "./build.mjs";
import { buildNeeded, root } from "./build-stamp.mjs";
import { checkNodeVersion } from "./node-version.mjs";

checkNodeVersion();
const reason = buildNeeded();
if (reason) {
  console.log(`forkline: building the production app (${reason}); this takes a minute or two, once…`);
  const status = build();
  if (status !== 0) {
    console.error("forkline: the build failed (output above); nothing was started");
    process.exit(status);
  }
}

const server = spawn(process.execPath, [path.join(root, "scripts", "server.mjs"), ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env },
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
