// `npm run build`: the production build, stamped with the sources it was made from (see build-stamp.mjs).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { root, writeStamp } from "./build-stamp.mjs";
import { checkNodeVersion } from "./node-version.mjs";

/** Runs `next build`; returns its exit status. */
export function build() {
  checkNodeVersion();
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env },
  });
  if (result.status !== 0) return result.status ?? 1;
  // Stamped after the build: `next build` may itself touch tsconfig.json, which must not trigger another build.
  writeStamp();
  console.log(`forkline: production build ready in ${Math.round((Date.now() - started) / 1000)} s`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(build());
