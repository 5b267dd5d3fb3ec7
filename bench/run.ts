import os from "node:os";
import { appendScenario } from "./scenarios/append";
import { browserScenario } from "./scenarios/browser";
import { forkScenario } from "./scenarios/fork";
import { historyScenario } from "./scenarios/history";
import { postgresScenario } from "./scenarios/postgres";
import { serverScenario } from "./scenarios/server";
import { storageScenario } from "./scenarios/storage";
import { usageScenario } from "./scenarios/usage";
import { startAppStack, type AppStack } from "./lib/app-stack";
import type { BenchContext } from "./lib/context";
import { progress } from "./lib/log";
import { parseOptions, type ScenarioName } from "./lib/options";
import { renderReport, writeReport } from "./lib/report";
import { Resources } from "./lib/resources";
import type { Scenario, ScenarioResult } from "./lib/result";
import { renderText } from "./lib/table";
import { makeTempDir } from "./lib/temp-dir";

const SCENARIOS: Record<ScenarioName, Scenario> = {
  fork: forkScenario,
  history: historyScenario,
  append: appendScenario,
  server: serverScenario,
  browser: browserScenario,
  usage: usageScenario,
  storage: storageScenario,
  postgres: postgresScenario,
};

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const started = performance.now();
  const run = new Resources();
  let scenario = new Resources();
  let shutdown: Promise<void> | undefined;
  const stopOnSignal = (signal: NodeJS.Signals) => {
    if (shutdown) return;
    progress(`${signal}: stopping servers and removing temp files`);
    shutdown = scenario
      .dispose()
      .then(() => run.dispose())
      .finally(() => process.exit(130));
  };
  process.on("SIGINT", stopOnSignal);
  process.on("SIGTERM", stopOnSignal);
  process.on("SIGHUP", stopOnSignal);

  const results: ScenarioResult[] = [];
  let stack: Promise<AppStack> | undefined;
  try {
    const runDir = makeTempDir(run, "run");
    for (const name of options.scenarios) {
      const { run: measure, ...info } = SCENARIOS[name];
      progress(`scenario ${info.id}: ${info.title}`);
      const ctx: BenchContext = { options, run, scenario, runDir, appStack: () => (stack ??= startAppStack(run, runDir, options.build)) };
      try {
        results.push({ ...info, ...(await measure(ctx)) });
      } catch (error) {
        progress(`scenario ${info.id} failed: ${(error as Error).stack ?? String(error)}`);
        results.push({ ...info, rows: [], diagnosis: [], facts: [], error: (error as Error).message });
      } finally {
        await scenario.dispose();
        if (!shutdown) scenario = new Resources();
      }
      if (shutdown) break;
    }
  } finally {
    await run.dispose();
    if (shutdown) await shutdown;
  }

  const wallMs = performance.now() - started;
  process.stdout.write(`${renderText(results)}\n\nTotal wall time: ${(wallMs / 1000).toFixed(0)} s\n`);
  if (options.out) {
    const build = stack ? await stack.then((app) => app.build).catch(() => null) : null;
    const command = ["npm run bench", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" ");
    writeReport(options.out, renderReport(results, { startedAt, load: [loadAtStart, os.loadavg()[0] ?? 0], wallMs, command, build }));
    progress(`wrote ${options.out}`);
  }
  return results.some((result) => result.error) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
