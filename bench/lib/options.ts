export const SCENARIOS = ["fork", "history", "append", "server", "browser", "usage", "storage", "postgres"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export type BuildPolicy = "auto" | "always" | "never";

export interface BenchOptions {
  scenarios: ScenarioName[];
  build: BuildPolicy;
  /** Where the Markdown results go; null leaves bench/results.md alone (partial runs). */
  out: string | null;
}

const DEFAULT_OUT = "bench/results.md";

function usage(problem: string): never {
  throw new Error(
    `${problem}\nusage: npm run bench -- [--only=${SCENARIOS.join(",")}] [--build | --no-build] [--out=FILE]`,
  );
}

function isScenario(name: string): name is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(name);
}

/** Reads the command line; a partial run (`--only`) writes no results file unless `--out` is given. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  let scenarios: ScenarioName[] = [...SCENARIOS];
  let build: BuildPolicy = "auto";
  let out: string | null | undefined;
  for (const arg of argv) {
    if (arg === "--build") build = "always";
    else if (arg === "--no-build") build = "never";
    else if (arg.startsWith("--only=")) {
      const names = arg.slice("--only=".length).split(",").filter(Boolean);
      const unknown = names.filter((name) => !isScenario(name));
      if (unknown.length > 0 || names.length === 0) usage(`unknown scenario(s): ${unknown.join(", ") || "(none)"}`);
      scenarios = SCENARIOS.filter((name) => names.includes(name));
    } else if (arg.startsWith("--out=")) out = arg.slice("--out=".length);
    else usage(`unknown argument ${arg}`);
  }
  const partial = scenarios.length < SCENARIOS.length;
  return { scenarios, build, out: out ?? (partial ? null : DEFAULT_OUT) };
}
