import { isDeepStrictEqual } from "node:util";
import { PrismaSession } from "@/lib/session";
import type { BenchContext } from "../lib/context";
import { countCall, describeCall } from "../lib/call-statements";
import { loggingClient } from "../lib/diagnostics";
import { SIDE_BRANCHES } from "../lib/fixtures";
import { formatCount, formatRatio, formatValue } from "../lib/format";
import { progress } from "../lib/log";
import { describePgRoundTrip, explainPg, measurePgRoundTrip, replayPgReads } from "../lib/pg-diagnostics";
import { openPostgresBenchDb } from "../lib/postgres-db";
import { startPostgres } from "../lib/postgres-server";
import { numberedParameters, RawPgStore } from "../lib/raw-pg-store";
import { PATH_ITEMS_SQL, rawTurnItems } from "../lib/raw-store";
import { ratio, ratioRow, skippedRow, type Row, type Scenario, type ScenarioOutcome } from "../lib/result";
import { sampleInterleaved } from "../lib/sampler";
import { seedConversation, seedSideBranches, turnItems } from "../lib/seed";
import { addKinds, describeKinds, totalOf, type StatementKinds } from "../lib/statement-kinds";
import { summarize } from "../lib/stats";
import { makeTempDir } from "../lib/temp-dir";
import { SAMPLE_COUNTS, SAMPLE_MODEL, sampleUsageRow, seedUsagePerTurn } from "../lib/usage-sample";

const LONG = 10_000;
const LIMIT = 50;
const MAX_APPEND_RATIO = 4;
const MAX_HISTORY_RATIO = 3;
const MAX_USAGE_RATIO = 1.5;
const WARMUP = 20;
/** Concurrent `storeRunUsage` calls while seeding (the app's pool holds 10 connections). */
const SEED_CONCURRENCY = 8;
/** Statements of the raw append: BEGIN, the locking head read, the turn, 2 items, the branch head, usage, COMMIT. */
const RAW_APPEND: StatementKinds = { BEGIN: 1, SELECT: 1, INSERT: 4, UPDATE: 1, COMMIT: 1 };

const FIGURES = {
  append: { figure: "append a turn (2 items + usage) on PostgreSQL", unit: "ms", baselineLabel: "(raw pg, 1 transaction)", max: MAX_APPEND_RATIO },
  history: { figure: `getItems(50), ${formatCount(LONG)} turns / ${SIDE_BRANCHES + 1} branches, on PostgreSQL`, unit: "ms", baselineLabel: "(raw pg, same SQL)", max: MAX_HISTORY_RATIO },
  usage: { figure: `getSessionUsage(), ${formatCount(LONG)} turns, on PostgreSQL`, unit: "ms", baselineLabel: "(raw pg SUM)", max: MAX_USAGE_RATIO },
} as const;

function skipped(reason: string): Row[] {
  return Object.values(FIGURES).map(({ figure, unit, baselineLabel, max }) => skippedRow({ figure, unit, baselineLabel, target: `≤ ${max}× baseline` }, reason));
}

async function runPostgres(ctx: BenchContext): Promise<ScenarioOutcome> {
  const dir = makeTempDir(ctx.scenario, "postgres");
  const server = await startPostgres(ctx.scenario, dir);
  if (!server) {
    return {
      rows: skipped("no PostgreSQL"),
      diagnosis: [],
      facts: ["- Skipped: no `postgres://` DATABASE_URL and no server binaries under `/usr/lib/postgresql/*/bin` (`apt-get install -y postgresql`)."],
    };
  }
  const bench = await openPostgresBenchDb(ctx.scenario, server.url);
  progress(`seeding PostgreSQL: ${formatCount(LONG)} turns, ${SIDE_BRANCHES} side branches, a usage row per turn of main`);
  const started = performance.now();
  const long = await seedConversation(bench.db, LONG);
  await seedSideBranches(long, SIDE_BRANCHES, LONG);
  await seedUsagePerTurn(long, SEED_CONCURRENCY);
  const longId = await long.getSessionId();
  const appender = await seedConversation(bench.db, 10);
  const rawConversation = await (await seedConversation(bench.db, 10)).getSessionId();
  progress(`PostgreSQL seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const raw = await RawPgStore.open(bench.raw);
  const items = await long.getItems(LIMIT);
  if (items.length !== LIMIT || !isDeepStrictEqual(items, await raw.latestItems(longId, LIMIT))) throw new Error("raw pg does not return the same 50 items as getItems(50)");
  const totals = await long.getSessionUsage();
  const rawTotals = await raw.usageTotals(longId);
  if (totals?.turns !== rawTotals.rows || totals.requests !== rawTotals.requests || totals.inputTokens !== rawTotals.inputTokens || totals.costMicros !== rawTotals.costMicros) {
    throw new Error(`getSessionUsage() ${JSON.stringify(totals)} is not the raw sum ${JSON.stringify(rawTotals)}`);
  }

  const usage = sampleUsageRow();
  let next = 11;
  const appendSamples = await sampleInterleaved(
    {
      prisma: async () => {
        await appender.addItems(turnItems(next));
        await appender.storeRunUsage(SAMPLE_COUNTS, { model: SAMPLE_MODEL });
        next += 1;
      },
      raw: () => raw.appendTurn(rawConversation, rawTurnItems(next), usage),
    },
    { warmup: WARMUP, minRounds: 50, maxRounds: 500, budgetMs: 10_000, label: "postgres append" },
  );
  const readSamples = await sampleInterleaved(
    {
      items: () => long.getItems(LIMIT),
      rawItems: () => raw.latestItems(longId, LIMIT),
      usage: () => long.getSessionUsage(),
      rawUsage: () => raw.usageTotals(longId),
    },
    { warmup: WARMUP, minRounds: 50, maxRounds: 500, budgetMs: 10_000, label: "postgres reads" },
  );
  const row = (key: keyof typeof FIGURES, subject: number[], baseline: number[]) => {
    const { figure, unit, baselineLabel, max } = FIGURES[key];
    return ratioRow({ figure, unit, subject: summarize(subject), baselineLabel, baseline: summarize(baseline) }, max);
  };
  const rows = [
    row("append", appendSamples.prisma, appendSamples.raw),
    row("history", readSamples.items, readSamples.rawItems),
    row("usage", readSamples.usage, readSamples.rawUsage),
  ];

  const log = loggingClient(ctx.scenario, bench.url);
  const logged = (sessionId: string) => new PrismaSession({ db: log.db, sessionId });
  const appenderId = await appender.getSessionId();
  const appendAdd = await countCall(log, () => logged(appenderId).addItems(turnItems(next)));
  const appendUsage = await countCall(log, () => logged(appenderId).storeRunUsage(SAMPLE_COUNTS, { model: SAMPLE_MODEL }));
  const appendKinds = addKinds(appendAdd.kinds, appendUsage.kinds);
  const history = await countCall(log, () => logged(longId).getItems(LIMIT));
  const totalsRead = await countCall(log, () => logged(longId).getSessionUsage());
  const facts = [
    `- Server: ${server.origin}; a fresh database per run, migrated with \`applyMigrations\`, the app's client from \`createDbClient\` (pool of ` +
      `${process.env.DATABASE_POOL_SIZE ?? 10}) against one raw \`pg.Client\` with named prepared statements.`,
    `- Statements (Prisma's query log with BEGIN counted per COMMIT, plus \`__forklineSqlCounter\`): append ${totalOf(appendKinds)} (${describeKinds(appendKinds)}) ` +
      `vs raw ${totalOf(RAW_APPEND)} (${describeKinds(RAW_APPEND)}); \`getItems(50)\` ${describeCall(history, false)} vs raw 2; ` +
      `\`getSessionUsage()\` ${describeCall(totalsRead, false)} vs raw 1.`,
    `- Raw usage sum: \`${raw.usageTotalsSql}\`; the raw append's head read ends in \`FOR UPDATE OF c\` (the conversation row lock, ` +
      "PostgreSQL's counterpart of SQLite's BEGIN IMMEDIATE).",
  ];

  const head = (await bench.raw.query<{ headTurnId: string }>(`SELECT "headTurnId" FROM "Branch" WHERE "id" = (SELECT "activeBranchId" FROM "Conversation" WHERE "id" = $1)`, [longId])).rows[0];
  const walks = [
    { label: "the raw baseline's path walk (`PATH_ITEMS_SQL`)", sql: numberedParameters(PATH_ITEMS_SQL), params: [head?.headTurnId, LIMIT, LIMIT] },
    ...history.logged.filter((statement) => /^\s*WITH\b/i.test(statement.sql)).map((statement) => ({ label: "`getItems(50)`'s walk (from Prisma's log)", ...statement })),
  ];
  for (const walk of walks) {
    const plan = await explainPg(bench.raw, walk.sql, walk.params);
    const scanned = plan.filter((line) => /Seq Scan on/.test(line)).map((line) => `\`${line.replace(/^[\s>-]+/, "")}\``);
    facts.push(
      scanned.length > 0
        ? `- PostgreSQL's plan (\`EXPLAIN\`) for ${walk.label} reads whole tables (${scanned.join(", ")}): it grows with the database, not with the ` +
            "limit, and a ratio against a baseline that does the same can pass while both slow down. Plan:"
        : `- PostgreSQL's plan (\`EXPLAIN\`) for ${walk.label}:`,
      "```",
      ...plan,
      "```",
    );
  }

  const diagnosis: string[] = [];
  if (rows.some((candidate) => candidate.pass === false)) {
    const cost = await measurePgRoundTrip(bench.db, bench.raw);
    diagnosis.push(`- Every statement is a round trip to the server. ${describePgRoundTrip(cost)}`);
    const [append, historyRow, usageRow] = rows;
    if (append?.pass === false) {
      diagnosis.push(
        `- Append (${formatRatio(ratio(append))} raw): ${totalOf(appendKinds)} statements vs ${totalOf(RAW_APPEND)}; at the round trip above that is ` +
          `≈ ${formatValue(totalOf(appendKinds) * cost.prismaMs, "ms")} of the ${formatValue(append.subject.median, "ms")} before any work.`,
      );
    }
    if (historyRow?.pass === false) {
      diagnosis.push(
        `- getItems(50) (${formatRatio(ratio(historyRow))} raw): ${totalOf(history.kinds)} statements vs 2; its reads re-run on raw \`pg\` take ` +
          `${formatValue(await replayPgReads(bench.raw, history.logged), "ms")} in all.`,
      );
    }
    if (usageRow?.pass === false) {
      diagnosis.push(
        `- getSessionUsage() (${formatRatio(ratio(usageRow))} raw): ${totalOf(totalsRead.kinds)} statements vs 1; its reads re-run on raw \`pg\` take ` +
          `${formatValue(await replayPgReads(bench.raw, totalsRead.logged), "ms")} in all vs ${formatValue(usageRow.baseline.median, "ms")} for the raw sum.`,
      );
    }
  }
  return { rows, diagnosis, facts };
}

/** 8. The append, history and usage-total figures on PostgreSQL, against raw `pg` running the same statements. */
export const postgresScenario: Scenario = {
  id: "8",
  title: "The same figures on PostgreSQL",
  about:
    "Rows 3a, 2a and 6 on PostgreSQL: `addItems([user, assistant])` + `storeRunUsage` on a 10-turn conversation; `getItems(50)` on a " +
    `${formatCount(LONG)}-turn conversation with ${SIDE_BRANCHES} side branches; \`getSessionUsage()\` on the same conversation, each of its ` +
    `${formatCount(LONG)} main turns charged once through \`storeRunUsage\`. Baseline: one raw \`pg.Client\` running RawStore's statements as ` +
    "named prepared statements (append in one transaction). Results checked equal; append and reads each interleaved with their baselines. " +
    "Runs on the server of a `postgres://` DATABASE_URL, else on a throwaway cluster from `scripts/with-postgres.sh`; skipped when neither is available.",
  command: "npm run bench -- --only=postgres",
  run: runPostgres,
};
