import fs from "node:fs";
import path from "node:path";
import { progress } from "./log";
import type { BuildPolicy } from "./options";
import { exitCode, spawnChild } from "./processes";
import type { Resources } from "./resources";

/** What `next build` compiles: a change to any of these makes `.next` stale. */
const SOURCES = ["app", "components", "hooks", "lib", "public", "instrumentation.ts", "next.config.js", "postcss.config.mjs", "tsconfig.json", "package.json"];
const BUILD_TIMEOUT_MS = 6 * 60_000;
const BUSY_RETRY_MS = 10_000;

export const NEXT_BIN = path.join("node_modules", "next", "dist", "bin", "next");

function newestSource(file: string): number {
  if (!fs.existsSync(file)) return 0;
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(file) ? 0 : stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(file).map((name) => newestSource(path.join(file, name))));
}

/** Why `.next` needs a build under `policy`, or null when the existing build can be used. */
export function buildReason(policy: BuildPolicy, root = process.cwd()): string | null {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (policy === "always") return "--build was passed";
  if (!fs.existsSync(buildId)) return policy === "never" ? null : ".next/BUILD_ID is missing";
  if (policy === "never") return null;
  const built = fs.statSync(buildId).mtimeMs;
  const newest = Math.max(...SOURCES.map((name) => newestSource(path.join(root, name))));
  return newest > built ? "sources changed since the last build" : null;
}

/** Runs `next build` into the default `.next` (waiting out another build in progress), bounded in time. */
async function runBuild(resources: Resources): Promise<void> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    const build = spawnChild("next build", process.execPath, [NEXT_BIN, "build"], {
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
