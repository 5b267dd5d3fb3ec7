// `npm test`: typecheck, lint, unit, integration (SQLite, then PostgreSQL when its server binaries exist), e2e in Chromium.
import { spawnSync } from "node:child_process";
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
const steps = [
  ["typecheck", "npx", ["tsc", "--noEmit", "-p", "."]],
  ["lint", "npx", ["eslint", "--max-warnings=0", "."]],
  ["unit + integration (SQLite)", "npx", ["vitest", "run", "--project", "unit", "--project", "integration"]],
  ["16 concurrent SQLite writers for 30 s", "npx", ["vitest", "run", "--project", "stress"]],
  ...(postgresBin
    ? [["unit + integration (PostgreSQL)", "bash", ["scripts/with-postgres.sh", "npx", "vitest", "run", "--project", "unit", "--project", "integration"]]]
    : []),
  ["end-to-end (Chromium)", "node", ["scripts/e2e.mjs"]],
  ...(postgresBin
    ? [[
        "two app instances on one PostgreSQL",
        "bash",
        ["scripts/with-postgres.sh", "bash", "-c", 'MULTI_INSTANCE_DATABASE_URL="$DATABASE_URL" E2E_SKIP_BUILD=1 node scripts/e2e.mjs e2e/multi-instance.spec.ts'],
      ]]
    : []),
];

for (const [name, command, args] of steps) {
  console.log(`\n▶ ${name}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✖ ${name} failed after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${name} (${seconds}s)`);
}
if (!postgresBin) console.log("\n(PostgreSQL pass skipped: no server binaries; `sudo apt-get install -y postgresql` to run it.)");
