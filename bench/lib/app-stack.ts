import path from "node:path";
import { progress } from "./log";
import { ensureBuild } from "./next-build";

/** What `npm start` runs after building. */
const PRODUCTION_SERVER = path.join("scripts", "server.mjs");
import type { BuildPolicy } from "./options";
import { freePort, spawnChild, waitForUrl } from "./processes";
import type { Resources } from "./resources";

export interface AppServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  pid: number;
  /** The last few kilobytes the server printed (errors it logged). */
  log(): string;
  /** Outgoing fetches of the server that failed, as "<url> <cause code> <cause message>" (at most 200 kept). */
  fetchFailures(): string[];
}

const FETCH_FAILURE = "forkline-bench fetch-failure ";

// Preloaded into `next start`: logs each outgoing fetch that throws, with its cause, because the app reports a failed
// model call only as a code (e.g. `model_unreachable`). Observation only; the request and the error are unchanged.
const FETCH_FAILURE_HOOK = `
const original = globalThis.fetch;
globalThis.fetch = async (...args) => {
  try {
    return await original(...args);
  } catch (error) {
    const cause = error && error.cause ? \`\${error.cause.code ?? ""} \${error.cause.message ?? ""}\` : String(error);
    process.stderr.write(${JSON.stringify(FETCH_FAILURE)} + String(args[0] && args[0].url ? args[0].url : args[0]) + " " + cause + "\\n");
    throw error;
  }
};`;

export interface AppStack {
  app: AppServer;
  /** `http://127.0.0.1:<port>/v1` of the fake model. */
  modelUrl: string;
  modelPid: number;
  /** The server's DATABASE_URL (`file:<temp>/bench.db`). */
  databaseUrl: string;
  /** How the production build was obtained. */
  build: string;
  /** Clears the fake model's request log, which otherwise grows with every call. */
  resetModel(): Promise<void>;
}

const START_TIMEOUT_MS = 90_000;

/** The server's settings, over an inherited environment stripped of Forkline, OpenAI, database and Next settings. */
function serverEnv(databaseUrl: string, modelUrl: string, port: number): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(FORKLINE_|OPENAI_|DATABASE_|NEXT_|NODE_ENV$|NODE_OPTIONS$|PORT$)/.test(key)));
  return {
    ...inherited,
    NODE_ENV: "production",
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    OPENAI_API_KEY: "x",
    OPENAI_BASE_URL: modelUrl,
    FORKLINE_MODELS: "test-model",
    FORKLINE_TITLES: "heuristic",
    FORKLINE_MODEL_MAX_RETRIES: "0",
    // The per-user limit (20 turns a minute by default) would turn a throughput test into a rate-limit test.
    FORKLINE_TURNS_PER_MINUTE: "0",
    // Every simulated client is a guest from 127.0.0.1.
    FORKLINE_GUESTS_PER_HOUR: "0",
    FORKLINE_GUEST_TURNS_PER_MINUTE: "0",
    FORKLINE_GUEST_DAILY_SPEND_USD: "0",
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

async function startFakeModel(resources: Resources): Promise<{ url: string; pid: number }> {
  const port = await freePort();
  const child = spawnChild("fake model", process.execPath, ["--import", "tsx", "test/fake-openai/cli.ts", "--port", String(port), "--host", "127.0.0.1"], {
    env: { ...process.env },
  });
  resources.defer("fake model", () => child.stop());
  const url = `http://127.0.0.1:${port}/v1`;
  await waitForUrl(`${url}/models`, child, 30_000);
  return { url, pid: child.process.pid ?? 0 };
}

export interface NextOptions {
  databaseUrl: string;
  modelUrl: string;
  /** Extra flags for the node process, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
}

/** Starts the production server (scripts/server.mjs on the existing build) on a free loopback port; resolves when /api/health answers. */
export async function startNext(resources: Resources, options: NextOptions): Promise<AppServer> {
  const port = await freePort();
  const hook = `data:text/javascript,${encodeURIComponent(FETCH_FAILURE_HOOK)}`;
  const args = ["--import", hook, ...(options.nodeFlags ?? []), PRODUCTION_SERVER, "-p", String(port), "-H", "127.0.0.1"];
  const failures: string[] = [];
  let partial = "";
  const child = spawnChild("next start", process.execPath, args, {
    env: serverEnv(options.databaseUrl, options.modelUrl, port),
    onOutput: (text) => {
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) if (line.startsWith(FETCH_FAILURE) && failures.length < 200) failures.push(line.slice(FETCH_FAILURE.length));
    },
  });
  resources.defer(`next start :${port}`, () => child.stop());
  const url = `http://127.0.0.1:${port}`;
  await waitForUrl(`${url}/api/health`, child, START_TIMEOUT_MS);
  return { url, pid: child.process.pid ?? 0, log: () => child.output(), fetchFailures: () => [...failures] };
}

/** Builds if needed, then starts the fake model and `next start` on free loopback ports; all stopped with `resources`. */
export async function startAppStack(resources: Resources, dir: string, policy: BuildPolicy): Promise<AppStack> {
  const build = await ensureBuild(policy, resources);
  progress("starting the fake model");
  const model = await startFakeModel(resources);
  const databaseUrl = `file:${path.join(dir, "bench.db")}`;
  progress("starting next start");
  const app = await startNext(resources, { databaseUrl, modelUrl: model.url });
  progress(`app at ${app.url}, fake model at ${model.url}`);
  return {
    app,
    modelUrl: model.url,
    modelPid: model.pid,
    databaseUrl,
    build,
    async resetModel() {
      const response = await fetch(`${model.url.replace(/\/v1$/, "")}/__reset`, { method: "POST", signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel();
    },
  };
}
