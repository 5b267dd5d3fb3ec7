import path from "node:path";
import { chromium } from "@playwright/test";
import { DEFAULT_TURN_PAGE } from "@/app/api/conversations/schema";
import { PrismaSession } from "@/lib/session";
import { AppClient } from "../lib/app-client";
import { openBenchDb } from "../lib/bench-db";
import type { AppServer } from "../lib/app-stack";
import { CHROMIUM_ARGS, findChromium } from "../lib/chromium";
import type { BenchContext } from "../lib/context";
import { formatValue } from "../lib/format";
import { progress } from "../lib/log";
import { browserSession, measurePageLoad, type PageLoad } from "../lib/page-load";
import type { Row, Scenario, ScenarioOutcome } from "../lib/result";
import { sampleInterleaved } from "../lib/sampler";
import { seedTurns } from "../lib/seed";
import { median, summarize } from "../lib/stats";

const LONG = 2_000;
const SHORT = 20;
const MAX_VISIBLE_MS = 1_500;
const MAX_HEAP_MB = 200;
const WARMUP = 1;
/** What the browser posts to get its guest session (the UI does before its first write). */
const SESSION_PATH = "/api/me";
const BIND_LIMIT_NOTE =
  "Prisma caps a SQLite statement at 999 bound parameters (maxBindValues, @prisma/client runtime), and a query that lists one id " +
  "per turn in IN (…) goes over it on a long branch: the conversation cannot be opened.";

function absoluteRow(figure: string, unit: "ms" | "MB", subject: number[], baseline: number[], max: number, target: string): Row {
  const summary = summarize(subject);
  return { figure, unit, subject: summary, baselineLabel: `(${SHORT} turns)`, baseline: summarize(baseline), target, pass: summary.median < max };
}

/** The server's last logged error (a few lines), to say why a request failed. */
function lastLoggedError(log: string): string {
  const lines = log.split("\n");
  const start = lines.findLastIndex((line) => /error/i.test(line));
  return start < 0 ? "(nothing logged)" : lines.slice(start, start + 6).join("\n").trim();
}

/** Times `GET /api/conversations/:id` (what the page fetches) and checks it answers with its first page of turns. */
async function measureDetail(client: AppClient, app: AppServer, id: string, turns: number): Promise<{ ms: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let run = 0; run < 3; run += 1) {
    const start = performance.now();
    const response = await client.request(`/api/conversations/${id}`);
    const body = await response.text();
    times.push(performance.now() - start);
    if (!response.ok) {
      const logged = lastLoggedError(app.log());
      const why = /P2029|query parameter limit/.test(logged) ? `\n${BIND_LIMIT_NOTE}` : "";
      throw new Error(`GET /api/conversations/:id of the ${turns}-turn conversation answered ${response.status} ${body}; the server logged:\n${logged}${why}`);
    }
    bytes = Buffer.byteLength(body);
    const conversation = (JSON.parse(body) as { conversation?: { turns?: unknown[]; earlierTurns?: number } }).conversation;
    const count = conversation?.turns?.length;
    const page = Math.min(turns, DEFAULT_TURN_PAGE);
    if (count !== page || conversation?.earlierTurns !== turns - page) {
      throw new Error(`GET /api/conversations/:id returned ${count} turns and ${conversation?.earlierTurns} earlier, expected ${page} and ${turns - page}`);
    }
  }
  return { ms: median(times), bytes };
}

async function runBrowser(ctx: BenchContext): Promise<ScenarioOutcome> {
  const app = await ctx.appStack();
  const file = app.databaseUrl.slice("file:".length);
  const bench = await openBenchDb(ctx.scenario, path.dirname(file), path.basename(file));
  const executablePath = findChromium();
  const browser = executablePath ? await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true }) : null;
  if (browser) ctx.scenario.defer("chromium", () => browser.close());
  // The conversations are created through the API in the browser's own session, so they belong to the user it is.
  const session = browser ? await browserSession(browser, app.app.url, SESSION_PATH) : { cookies: [], origins: [] };
  const client = new AppClient(app.app.url, session.cookies);
  const [long = "", short = ""] = await client.createConversations(2);
  progress(`seeding a ${LONG.toLocaleString("en-US")}-turn conversation in the server's database`);
  await seedTurns(new PrismaSession({ db: bench.db, sessionId: long }), LONG, { batch: 200 });
  await seedTurns(new PrismaSession({ db: bench.db, sessionId: short }), SHORT);

  const detail = await measureDetail(client, app.app, long, LONG);
  if (!browser) throw new Error("no Chromium: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH");

  const loads: Record<"long" | "short", PageLoad[]> = { long: [], short: [] };
  const open = (id: string, turns: number) => measurePageLoad(browser, session, `${app.app.url}/c/${id}`, turns, `Answer ${turns}.`);
  await sampleInterleaved(
    {
      long: async () => loads.long.push(await open(long, LONG)),
      short: async () => loads.short.push(await open(short, SHORT)),
    },
    { warmup: WARMUP, minRounds: 5, maxRounds: 9, budgetMs: 30_000, label: "browser" },
  );
  const pick = (side: "long" | "short", key: "lastMessageMs" | "heapMB" | "domNodes" | "messages") =>
    loads[side].slice(WARMUP).map((load) => load[key]);
  const timesOf = (side: "long" | "short", key: "fetchStartMs" | "dataMs") =>
    loads[side].slice(WARMUP).flatMap((load) => (load[key] === null ? [] : [load[key]]));
  const rows = [
    absoluteRow(`last message visible, ${LONG.toLocaleString("en-US")} turns`, "ms", pick("long", "lastMessageMs"), pick("short", "lastMessageMs"), MAX_VISIBLE_MS, "< 1.5 s"),
    absoluteRow(`JS heap, ${LONG.toLocaleString("en-US")} turns`, "MB", pick("long", "heapMB"), pick("short", "heapMB"), MAX_HEAP_MB, "< 200 MB"),
  ];
  const breakdown = (side: "long" | "short", turns: number) => {
    const [started, arrived] = [timesOf(side, "fetchStartMs"), timesOf(side, "dataMs")];
    const visible = median(pick(side, "lastMessageMs"));
    const fetch =
      started.length > 0 && arrived.length > 0
        ? `the page starts fetching the conversation at ${formatValue(median(started), "ms")} (after its scripts and first API calls), ` +
          `has it at ${formatValue(median(arrived), "ms")}, and shows the last message ${formatValue(visible - median(arrived), "ms")} later`
        : "no conversation fetch was seen";
    return (
      `- ${turns.toLocaleString("en-US")} turns: last message visible at ${formatValue(visible, "ms")}; ${fetch}; ` +
      `${median(pick(side, "domNodes")).toFixed(0)} DOM elements, ${median(pick(side, "messages")).toFixed(0)} message elements, ` +
      `heap ${formatValue(median(pick(side, "heapMB")), "MB")}.`
    );
  };
  const diagnosis = rows.some((row) => row.pass === false)
    ? [
        breakdown("long", LONG),
        breakdown("short", SHORT),
        `- Fetched alone, the detail response for ${LONG.toLocaleString("en-US")} turns is ${(detail.bytes / 1e6).toFixed(1)} MB and takes ` +
          `${formatValue(detail.ms, "ms")}. What the ${SHORT}-turn page needs before its data arrives is the page's fixed cost; the time ` +
          "from the data's arrival to the last message is the client parsing and rendering it.",
      ]
    : [];
  return {
    rows,
    diagnosis,
    facts: [
      `- Chromium: \`${executablePath ?? ""}\`, headless, viewport 1280×800, flags as in playwright.config.ts.`,
      `- What the page fetches: \`GET /api/conversations/:id\` for ${LONG.toLocaleString("en-US")} turns answers ` +
        `${(detail.bytes / 1e6).toFixed(1)} MB in ${formatValue(detail.ms, "ms")} (median of 3).`,
      breakdown("long", LONG),
      breakdown("short", SHORT),
    ],
  };
}

/** 5. A 2,000-turn conversation opened in headless Chromium: time until the last message is visible, and JS heap. */
export const browserScenario: Scenario = {
  id: "5",
  title: "Long conversation in the browser",
  about:
    `A conversation created through the API (so it belongs to the user the browser acts as), then filled with ` +
    `${LONG.toLocaleString("en-US")} turns directly in the server's database through \`PrismaSession.addItems\` (batches of 200 turns), ` +
    "opened at `/c/<id>` in headless Chromium, a fresh browser context (cold cache) per load. " +
    "Time: from navigation start to the first animation frame in which the last assistant message " +
    '(`[data-testid="message"][data-role="assistant"][data-turn-number="2000"]`, or its text as a fallback) is inside the viewport. ' +
    "Heap: CDP `Performance.getMetrics` JSHeapUsedSize after `HeapProfiler.collectGarbage`, in MB (10^6 bytes). " +
    `Baseline: a ${SHORT}-turn conversation loaded the same way, interleaved. Before the browser starts, ` +
    "`GET /api/conversations/:id` (what the page fetches) must answer with every turn.",
  command: "npm run bench -- --only=browser",
  run: runBrowser,
};
