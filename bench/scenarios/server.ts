import os from "node:os";
import { AppClient, type StreamTiming } from "../lib/app-client";
import { startNext, type AppStack } from "../lib/app-stack";
import type { BenchContext } from "../lib/context";
import { cpuSeconds, ownCpuSeconds } from "../lib/cpu";
import { monotonicMicros, summarizeProfiles, type ProfileShare } from "../lib/cpu-profile";
import { directClient, streamDirect } from "../lib/direct-model";
import { formatCount, formatValue } from "../lib/format";
import { runLoad, type LoadOptions, type LoadResult } from "../lib/load";
import { progress } from "../lib/log";
import { Resources } from "../lib/resources";
import type { Row, Scenario, ScenarioOutcome } from "../lib/result";
import { sampleInterleaved } from "../lib/sampler";
import { median, summarize } from "../lib/stats";
import { makeTempDir } from "../lib/temp-dir";

const MESSAGE = "Please summarise the plan for the quarterly report in a few short words.";
const MAX_OVERHEAD_MS = 10;
const STREAMS = 50;
const MIN_TURNS_PER_SECOND = 100;
const WINDOWS = 3;
const LATENCY_WARMUP = 10;
/** A request that resolves the session and does nothing else: the fixed cost of any request through `next start`. */
const PLAIN_REQUEST = "/api/me";
/** A prerendered file: what `next start` costs for a request that runs no app code. */
const STATIC_REQUEST = "/icon.svg";
const WINDOW: LoadOptions = { workers: STREAMS, maxTurns: 500, maxMs: 8_000 };

type Side = "server" | "direct";

interface CpuPerTurn {
  serverMs: number;
  modelMs: number;
  benchMs: number;
}

function overheadRow(figure: string, subject: number[], baseline: number[]): Row {
  const overhead = median(subject) - median(baseline);
  return {
    figure,
    unit: "ms",
    subject: summarize(subject),
    baselineLabel: "(openai client → fake model)",
    baseline: summarize(baseline),
    target: `overhead ≤ ${MAX_OVERHEAD_MS} ms`,
    pass: overhead <= MAX_OVERHEAD_MS,
    detail: `overhead ${formatValue(overhead, "ms")}`,
  };
}

/** A load worker's turn: worker i streams turns on conversation i, one at a time (a branch runs one turn at once). */
async function loadTurns(client: AppClient): Promise<(worker: number) => Promise<void>> {
  const conversations = await client.createConversations(STREAMS);
  return async (worker) => void (await client.streamTurn(conversations[worker] ?? "", MESSAGE));
}

/** Load windows alternating server and direct, with the CPU each process spent per completed server turn. */
async function measureThroughput(stack: AppStack): Promise<{ loads: Record<Side, LoadResult[]>; cpu: CpuPerTurn }> {
  progress(`creating ${STREAMS} conversations for the load test`);
  const serverTurn = await loadTurns(new AppClient(stack.app.url));
  const client = directClient(stack.modelUrl);
  const directTurn = async () => void (await streamDirect(client, MESSAGE));
  await runLoad({ ...WINDOW, maxTurns: STREAMS * 2 }, serverTurn);
  const loads: Record<Side, LoadResult[]> = { server: [], direct: [] };
  const cpu: CpuPerTurn = { serverMs: 0, modelMs: 0, benchMs: 0 };
  let serverCompleted = 0;
  for (let window = 0; window < WINDOWS; window += 1) {
    for (const side of window % 2 === 0 ? (["server", "direct"] as const) : (["direct", "server"] as const)) {
      await stack.resetModel();
      const before = [cpuSeconds(stack.app.pid), cpuSeconds(stack.modelPid), ownCpuSeconds()] as const;
      const result = await runLoad(WINDOW, side === "server" ? serverTurn : directTurn);
      if (side === "server") {
        cpu.serverMs += (cpuSeconds(stack.app.pid) - before[0]) * 1000;
        cpu.modelMs += (cpuSeconds(stack.modelPid) - before[1]) * 1000;
        cpu.benchMs += (ownCpuSeconds() - before[2]) * 1000;
        serverCompleted += result.completed;
      }
      loads[side].push(result);
      progress(`load window ${window + 1}/${WINDOWS} ${side}: ${result.completed} turns in ${formatValue(result.elapsedMs, "ms")}, ${result.errors} errors`);
    }
  }
  const per = Math.max(1, serverCompleted);
  return { loads, cpu: { serverMs: cpu.serverMs / per, modelMs: cpu.modelMs / per, benchMs: cpu.benchMs / per } };
}

/** One load window against a second `next start` run under `--cpu-prof`, summarised by where its CPU time went. */
async function profileServer(ctx: BenchContext, stack: AppStack): Promise<{ byPackage: ProfileShare[]; byFunction: ProfileShare[]; turns: number }> {
  const dir = makeTempDir(ctx.scenario, "profile");
  const server = new Resources();
  let window: { from: number; to: number; turns: number };
  try {
    progress("profiling a second next start under load (--cpu-prof)");
    const app = await startNext(server, {
      databaseUrl: `file:${dir}/profile.db`,
      modelUrl: stack.modelUrl,
      nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
    });
    const serverTurn = await loadTurns(new AppClient(app.url));
    await runLoad({ ...WINDOW, maxTurns: STREAMS * 2 }, serverTurn);
    await stack.resetModel();
    const from = monotonicMicros();
    const result = await runLoad(WINDOW, serverTurn);
    window = { from, to: monotonicMicros(), turns: result.completed };
  } finally {
    // Stopping the server is what makes V8 write the profile.
    await server.dispose();
  }
  return { ...summarizeProfiles(dir, window.from, window.to), turns: window.turns };
}

const PRISMA_ORIGINS = ["@prisma/client", "@prisma/adapter-better-sqlite3", "better-sqlite3", "WebAssembly (Prisma query compiler)"];

function shareOf(list: ProfileShare[], test: (name: string) => boolean): number {
  return list.filter((entry) => test(entry.name)).reduce((total, entry) => total + entry.share, 0);
}

/** How busy the server was under load, and what that says about where its wall time went. */
function busyNote(cores: number): string {
  const load = `load average ${(os.loadavg()[0] ?? 0).toFixed(1)} on ${os.cpus().length} cores`;
  if (cores >= 0.85) return `During the load windows the server kept ${cores.toFixed(2)} cores busy: it is CPU-bound.`;
  return (
    `During the load windows the server kept only ${cores.toFixed(2)} cores busy, so part of the time it waited — for a CPU, which other ` +
    `processes wanted too (${load}), or for I/O.`
  );
}

/** What would close the gap, stated only for the costs the profile actually shows. */
function remedies(byPackage: ProfileShare[]): string[] {
  const percent = (share: number) => `${(share * 100).toFixed(0)}%`;
  const prisma = shareOf(byPackage, (name) => PRISMA_ORIGINS.includes(name));
  const hooks = shareOf(byPackage, (name) => name.includes("async_hooks") || name.includes("async_local_storage"));
  const gc = shareOf(byPackage, (name) => name === "V8 garbage collector");
  const lines = ["- What would close it, from the shares above:"];
  if (prisma >= 0.15) {
    lines.push(
      `  - ${percent(prisma)} is the database path (Prisma client, its WebAssembly query compiler, the driver adapter, better-sqlite3 — whose ` +
        "`prepare` runs on every call because the adapter caches no statements). Rows 2–3 measure what one Prisma statement costs against " +
        "raw SQLite: fewer statements per turn in `beginTurn`, the runner's storage, `finishTurn` and usage (one transaction, no repeated " +
        "conversation/branch reads, batch writes) is the first lever; a raw better-sqlite3 path in `lib/db` for the per-turn writes the second.",
    );
  }
  if (hooks >= 0.05) {
    lines.push(
      `  - ${percent(hooks)} is AsyncLocalStorage's promise hooks (Node 20; Next.js uses ALS on every request). Node 24 builds ALS on ` +
        "AsyncContextFrame instead, without promise hooks; measure there before counting on it.",
    );
  }
  if (gc >= 0.05) lines.push(`  - ${percent(gc)} is garbage collection: allocation per turn (JSON, SSE chunks, Prisma result objects) — shrinks with the work above.`);
  lines.push("  - Past one core: several instances behind a proxy (the design keeps no per-conversation state in memory).");
  return lines;
}

/** The server's failed outgoing fetches, counted by cause, with what a closed kept-alive socket means here. */
function describeFailures(failures: string[]): string[] {
  if (failures.length === 0) return ["- The server logged no failed outgoing fetch, so the error did not come from a model call's connection."];
  const byCause = new Map<string, number>();
  for (const failure of failures) {
    const cause = failure.replace(/^\S+\s*/, "");
    byCause.set(cause, (byCause.get(cause) ?? 0) + 1);
  }
  const lines = [`- Failed model calls seen in the server (fetch preload hook): ${[...byCause].map(([cause, count]) => `${count} × \`${cause}\``).join(", ")}.`];
  if (failures.some((failure) => /UND_ERR_SOCKET|ECONNRESET|other side closed/.test(failure))) {
    lines.push(
      "  - `other side closed` on a request means the model server closed a kept-alive connection as the app's fetch reused it (the fake " +
        "model is a Node http server, which closes idle kept-alive sockets after 5 s by default). With FORKLINE_MODEL_MAX_RETRIES=0 the " +
        "`openai` client does not resend, so the turn fails as `model_unreachable`; the default of 2 retries would hide it. Proposal: " +
        "resend once a model request that failed before any response byte arrived, whatever the retry setting.",
    );
  }
  return lines;
}

function shares(list: ProfileShare[]): string[] {
  return list.map((entry) => `  - ${(entry.share * 100).toFixed(1)}% ${entry.name}`);
}

async function runServer(ctx: BenchContext): Promise<ScenarioOutcome> {
  const stack = await ctx.appStack();
  const client = directClient(stack.modelUrl);
  const app = new AppClient(stack.app.url);
  const timings: Record<Side, StreamTiming[]> = { server: [], direct: [] };
  const plainRequests: number[] = [];
  const staticRequests: number[] = [];
  const hasStatic = await app.timeGet(STATIC_REQUEST).then(
    () => true,
    () => false,
  );
  await sampleInterleaved(
    {
      server: async () => timings.server.push(await app.streamTurn(await app.createConversation(), MESSAGE)),
      direct: async () => timings.direct.push(await streamDirect(client, MESSAGE)),
      plain: async () => plainRequests.push(await app.timeGet(PLAIN_REQUEST)),
      static: async () => void (hasStatic && staticRequests.push(await app.timeGet(STATIC_REQUEST))),
    },
    { warmup: LATENCY_WARMUP, minRounds: 30, maxRounds: 150, budgetMs: 20_000, label: "server latency" },
  );
  const measured = (side: Side, key: keyof StreamTiming) => timings[side].slice(LATENCY_WARMUP).map((timing) => timing[key]);
  const plain = plainRequests.slice(LATENCY_WARMUP);
  const staticFile = staticRequests.slice(LATENCY_WARMUP);
  const staticMs = staticFile.length > 0 ? formatValue(median(staticFile), "ms") : null;
  const staticNote = staticMs ? ` (a static file, \`GET ${STATIC_REQUEST}\`, takes ${staticMs})` : "";
  const at = (side: Side, key: keyof StreamTiming) => formatValue(median(measured(side, key)), "ms");

  const { loads, cpu } = await measureThroughput(stack);
  const errors = loads.server.reduce((total, result) => total + result.errors, 0);
  const turns = loads.server.reduce((total, result) => total + result.completed, 0);
  const throughput = summarize(loads.server.map((result) => result.turnsPerSecond));
  const firstError = loads.server.find((result) => result.firstError)?.firstError;

  const rows: Row[] = [
    overheadRow("first text.delta via next start", measured("server", "firstDeltaMs"), measured("direct", "firstDeltaMs")),
    overheadRow("turn.completed via next start", measured("server", "completedMs"), measured("direct", "completedMs")),
    {
      figure: `throughput, ${STREAMS} concurrent streams`,
      unit: "turns/s",
      subject: throughput,
      baselineLabel: "(direct to fake model)",
      baseline: summarize(loads.direct.map((result) => result.turnsPerSecond)),
      target: `≥ ${MIN_TURNS_PER_SECOND} turns/s, 0 errors`,
      pass: throughput.median >= MIN_TURNS_PER_SECOND && errors === 0,
      detail: `${errors} errors in ${formatCount(turns + errors)} turns`,
    },
  ];
  const cpuFact =
    `- CPU per completed turn under load (Linux /proc, whole process trees): \`next start\` ${formatValue(cpu.serverMs, "ms")}, ` +
    `fake model ${formatValue(cpu.modelMs, "ms")}, bench client ${formatValue(cpu.benchMs, "ms")}. ` +
    `Load average at the end: ${os.loadavg().map((load) => load.toFixed(1)).join(", ")} on ${os.cpus().length} cores.`;
  const latencyFact =
    `- Single-turn medians via \`next start\`: response headers ${at("server", "headersMs")}, \`turn.started\` ${at("server", "startedMs")}, ` +
    `first \`text.delta\` ${at("server", "firstDeltaMs")}, \`turn.completed\` ${at("server", "completedMs")}; direct: headers ${at("direct", "headersMs")}, ` +
    `first delta ${at("direct", "firstDeltaMs")}, completed ${at("direct", "completedMs")}; \`GET ${PLAIN_REQUEST}\` ${formatValue(median(plain), "ms")}` +
    (staticMs ? `, \`GET ${STATIC_REQUEST}\` ${staticMs}.` : ".");

  const diagnosis: string[] = [];
  if (rows.some((row) => row.pass === false)) {
    const profile = await profileServer(ctx, stack);
    const ceiling = 1000 / cpu.serverMs;
    diagnosis.push(
      latencyFact,
      `- \`GET ${PLAIN_REQUEST}\` (session lookup only) takes ${formatValue(median(plain), "ms")} through \`next start\`${staticNote}: the fixed cost of any API request. ` +
        `The turn's response headers come ${formatValue(median(measured("server", "headersMs")) - median(plain), "ms")} later than that ` +
        "(what the route does before it answers: ownership check, model resolution, `beginTurn`'s transaction). " +
        `The model answers its first delta ${formatValue(median(measured("direct", "firstDeltaMs")), "ms")} after a direct request, yet the server's first delta ` +
        `arrives ${formatValue(median(measured("server", "firstDeltaMs")) - median(measured("server", "startedMs")), "ms")} after \`turn.started\` ` +
        "(history read, agent run set-up, model call, SDK stream), and `turn.completed` " +
        `${formatValue(median(measured("server", "completedMs")) - median(measured("server", "firstDeltaMs")), "ms")} after the first delta vs ` +
        `${formatValue(median(measured("direct", "completedMs")) - median(measured("direct", "firstDeltaMs")), "ms")} direct ` +
        "(storing the outputs and usage, finishing the turn).",
      cpuFact,
      `- ${busyNote(cpu.serverMs * (throughput.median / 1000))} Its JavaScript runs on one thread: at ${formatValue(cpu.serverMs, "ms")} of CPU per turn ` +
        `one core serves at most ≈ ${ceiling.toFixed(0)} turns/s, even with the machine to itself; ` +
        `${MIN_TURNS_PER_SECOND} turns/s needs ≤ ${formatValue(1000 / MIN_TURNS_PER_SECOND, "ms")} of CPU per turn.`,
      `- Where that CPU goes (\`--cpu-prof\` on a second \`next start\`, one ${STREAMS}-stream window of ${profile.turns} turns, self time, idle excluded), by origin:`,
      ...shares(profile.byPackage.slice(0, 8)),
      "- Hottest functions:",
      ...shares(profile.byFunction),
      ...remedies(profile.byPackage),
    );
    if (firstError) diagnosis.push(`- First error under load: \`${firstError.slice(0, 300)}\``, ...describeFailures(stack.app.fetchFailures()));
  }
  return {
    rows,
    diagnosis,
    facts: [
      `- Server: \`next start\` on 127.0.0.1 with DATABASE_URL=\`file:<temp>/bench.db\`, OPENAI_BASE_URL at the fake model; ${stack.build}.`,
      latencyFact,
      cpuFact,
    ],
  };
}

/** 4. Time to first `text.delta` and to `turn.completed` through `next start`, and throughput with 50 streams. */
export const serverScenario: Scenario = {
  id: "4",
  title: "Server overhead per turn",
  about:
    "Through `next start` (production build) with the fake model (`test/fake-openai`, own process) at zero delay: time from sending " +
    "`POST /api/conversations/:id/turns` to the first `text.delta` event and to `turn.completed`, one turn at a time, each on a fresh " +
    "conversation created untimed, against the same message streamed straight from the fake model with the `openai` client (Responses " +
    "API, first `response.output_text.delta` / `response.completed`), interleaved. Overhead = difference of the medians. Throughput: " +
    `${STREAMS} concurrent streams, one conversation each, turns back to back, ${WINDOWS} windows of at most ${WINDOW.maxTurns} turns or ` +
    `${WINDOW.maxMs / 1000} s alternating with the same load sent straight to the fake model; the median window is reported. A turn ` +
    "counts only if its stream ends after `turn.completed`; an HTTP error, `turn.failed` or a short stream is an error.",
  command: "npm run bench -- --only=server",
  run: runServer,
};
