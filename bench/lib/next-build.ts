import fs from "node:fs";
import path from "node:path";
// @ts-expect-error: a plain .mjs script without type declarations
import { buildNeeded } from "../../scripts/build-stamp.mjs";
import { progress } from "./log";
import type { BuildPolicy } from "./options";
import { exitCode, spawnChild } from "./processes";
import type { Resources } from "./resources";

const BUILD_TIMEOUT_MS = 6 * 60_000;
const BUSY_RETRY_MS = 10_000;

/** The same build `npm run build` makes, stamped so `npm start` and the bench agree on when it is stale. */
const BUILD_SCRIPT = path.join("scripts", "build.mjs");

/** Why `.next` needs a build under `policy`, or null when the existing build can be used. */
export function buildReason(policy: BuildPolicy, root = process.cwd()): string | null {
  if (policy === "always") return "--build was passed";
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) return policy === "never" ? null : ".next/BUILD_ID is missing";
  if (policy === "never") return null;
  return buildNeeded(root);
}

/** Runs `next build` into the default `.next` (waiting out another build in progress), bounded in time. */
async function runBuild(resources: Resources): Promise<void> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    const build = spawnChild("next build", process.execPath, [BUILD_SCRIPT], {
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      onOutput: (text) => process.stderr.write(text),
    });
    resources.defer("next build", () => build.stop());
    const timer = setTimeout(() => void build.stop(), Math.max(0, deadline - Date.now()));
    const code = await exitCode(build);
    clearTimeout(timer);
    if (code === 0) return;
    if (/Another next build process is already running/i.test(build.output()) && Date.now() + BUSY_RETRY_MS < deadline) {
      progress("another next build is running; waiting to retry");
      await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
      continue;
    }
    const output = build.output();
    const first = output.split("\n").find((line) => /error|failed/i.test(line))?.trim() ?? "";
    throw new Error(`next build failed (exit ${code}): ${first}\n${output.slice(-2_000)}`);
  }
}

/** Makes sure `.next` holds a production build per `policy`; returns what was done, for the report. */
export async function ensureBuild(policy: BuildPolicy, resources: Resources): Promise<string> {
  const reason = buildReason(policy);
  if (!reason) {
    if (!fs.existsSync(path.join(".next", "BUILD_ID"))) throw new Error("--no-build was passed but .next/BUILD_ID is missing");
    return policy === "never" ? "used the existing .next (--no-build)" : "used the existing .next (up to date with the sources)";
  }
  progress(`building the app (${reason}) with next build`);
  const started = performance.now();
  await runBuild(resources);
  return `built with \`next build\` (${reason}) in ${((performance.now() - started) / 1000).toFixed(0)} s`;
}
