// Builds the app and runs the Playwright suite in Chromium against `next start` and the fake OpenAI server.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { findChromium, INSTALL_HINT } from "./find-chromium.mjs";

const chromium = findChromium();
if (!chromium) {
  console.error(`No Chromium found for the end-to-end tests. Install it with:\n  ${INSTALL_HINT}`);
  process.exit(1);
}
// Every browser context is a new guest from 127.0.0.1: the per-address guest limits would end the run early. The
// specs that test those limits set them on their own server.
const guestLimitsOff = { FORKLINE_GUESTS_PER_HOUR: "0", FORKLINE_GUEST_TURNS_PER_MINUTE: "0", FORKLINE_GUEST_DAILY_SPEND_USD: "0" };
const env = { ...guestLimitsOff, ...process.env, CHROMIUM_PATH: chromium, NEXT_TELEMETRY_DISABLED: "1" };

if (!process.env.E2E_SKIP_BUILD) {
  const build = spawnSync("node", ["scripts/build.mjs"], { stdio: "inherit", env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
rmSync("test-results/e2e-data", { recursive: true, force: true });
const result = spawnSync("npx", ["playwright", "test", ...process.argv.slice(2)], { stdio: "inherit", env });
process.exit(result.status ?? 1);
