// `npm test`: typecheck, lint, unit + integration on SQLite (and on PostgreSQL when its server binaries exist), the
// SQLite writer stress test, end-to-end in Chromium, and two app instances on one PostgreSQL. Ends with the runners'
// summary lines and a total.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { findChromium, INSTALL_HINT } from "./find-chromium.mjs";

const chromium = findChromium();
if (!chromium) {
  console.error(`npm test needs Chromium for the end-to-end tests and found none.\nInstall it with:\n  ${INSTALL_HINT}`);
  process.exit(1);
}

const postgresBin = existsSync("/usr/lib/postgresql")
  ? readdirSync("/usr/lib/postgresql").map((v) => `/usr/lib/postgresql/${v}/bin/initdb`).find((file) => existsSync(file))
  : undefined;
if (!postgresBin && process.env.CI) {
  console.error("CI runs the suite on PostgreSQL too and found no server. Install it with:\n  sudo apt-get install -y postgresql");
  process.exit(1);
}

const env = { ...process.env, CHROMIUM_PATH: chromium, NEXT_TELEMETRY_DISABLED: "1" };
const vitest = ["vitest", "run", "--project", "unit", "--project", "integration"];
const steps = [
  ["typecheck", "npx", ["tsc", "--noEmit", "-p", "."]],
  ["lint", "npx", ["eslint", "--max-warnings=0", "."]],
  ["unit + integration (SQLite)", "npx", vitest],
  ["16 concurrent SQLite writers for 30 s", "npx", ["vitest", "run", "--project", "stress"]],
  ...(postgresBin ? [["unit + integration (PostgreSQL)", "bash", ["scripts/with-postgres.sh", "npx", ...vitest]]] : []),
  ["end-to-end (Chromium)", "node", ["scripts/e2e.mjs"]],
  ...(postgresBin
    ? [[
        "two app instances on one PostgreSQL",
        "bash",
        ["scripts/with-postgres.sh", "bash", "-c", 'MULTI_INSTANCE_DATABASE_URL="$DATABASE_URL" E2E_SKIP_BUILD=1 node scripts/e2e.mjs e2e/multi-instance.spec.ts'],
      ]]
    : []),
];

const stripAnsi = (text) => text.replace(/\u001b\[[0-9;]*m/g, "");

/** Counts from a runner's closing lines: vitest's "Tests  N failed | N passed | N skipped (T)", Playwright's "N passed (…)". */
function summarise(output) {
  const text = stripAnsi(output);
  const vitestLine = text.split("\n").reverse().find((line) => /^\s*Tests\s+.*\(\d+\)\s*$/.test(line));
  const count = (source, word) => Number(new RegExp(`(\\d+) ${word}`).exec(source)?.[1] ?? 0);
  if (vitestLine) return { line: vitestLine.trim(), passed: count(vitestLine, "passed"), failed: count(vitestLine, "failed"), skipped: count(vitestLine, "skipped") };
  const playwright = text.split("\n").filter((line) => /^\s+\d+ (passed|failed|skipped|flaky)\b/.test(line));
  if (playwright.length === 0) return null;
  const block = playwright.join(" ");
  return { line: playwright.map((line) => line.trim()).join(", "), passed: count(block, "passed"), failed: count(block, "failed"), skipped: count(block, "skipped") };
}

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

const summaries = [];
for (const [name, command, args] of steps) {
  console.log(`\n▶ ${name}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const { code, output } = await run(command, args);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const summary = summarise(output);
  if (summary) summaries.push([name, summary]);
  if (code !== 0) {
    console.error(`\n✖ ${name} failed after ${seconds}s`);
    process.exit(code);
  }
  console.log(`✔ ${name} (${seconds}s)`);
}
if (!postgresBin) console.log("\n(PostgreSQL passes skipped: no server binaries; `sudo apt-get install -y postgresql` to run them.)");

console.log("\nSummary");
for (const [name, summary] of summaries) console.log(`  ${name}: ${summary.line}`);
const total = summaries.reduce((sum, [, summary]) => ({ passed: sum.passed + summary.passed, failed: sum.failed + summary.failed, skipped: sum.skipped + summary.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
