// Builds the app and runs the Playwright suite in Chromium against `next start` and the fake OpenAI server.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { findChromium, INSTALL_HINT } from "./find-chromium.mjs";

const chromium = findChromium();
if (!chromium) {
  console.error(`No Chromium found for the end-to-end tests. Install it with:\n  ${INSTALL_HINT}`);
  process.exit(1);
}
const env = { ...process.env, CHROMIUM_PATH: chromium, NEXT_TELEMETRY_DISABLED: "1" };

if (!process.env.E2E_SKIP_BUILD) {
  const build = spawnSync("node", ["scripts/build.mjs"], { stdio: "inherit", env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
rmSync("test-results/e2e-data", { recursive: true, force: true });
const result = spawnSync("npx", ["playwright", "test", ...process.argv.slice(2)], { stdio: "inherit", env });
process.exit(result.status ?? 1);
