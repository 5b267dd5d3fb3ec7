import { PrismaSession } from "@/lib/session";
import type { SessionUsage } from "@/lib/session/types";
import type { BenchContext } from "../lib/context";
import { countCall, describeCall } from "../lib/call-statements";
import { describeRead, describeStatementCost, explainPlan, loggingClient, measureStatementCost, replayReads } from "../lib/diagnostics";
import { formatCount, formatRatio, formatValue } from "../lib/format";
import { RawStore, type RawUsageTotals } from "../lib/raw-store";
import { ratio, ratioRow, type Scenario, type ScenarioOutcome } from "../lib/result";
import { sampleInterleaved } from "../lib/sampler";
import { totalOf } from "../lib/statement-kinds";
import { summarize } from "../lib/stats";
import { makeTempDir } from "../lib/temp-dir";
import { usageFixtureCopy, USAGE_TURNS } from "../lib/usage-fixture";

const MAX_RATIO = 1.5;

/** Whether the session's totals are the raw sums (one usage row per turn, so rows = turns). */
function sameTotals(session: SessionUsage | null, raw: RawUsageTotals): boolean {
  return (
    session !== null &&
    session.turns === raw.rows &&
    session.requests === raw.requests &&
    session.inputTokens === raw.inputTokens &&
    session.cachedInputTokens === raw.cachedInputTokens &&
    session.outputTokens === raw.outputTokens &&
    session.reasoningTokens === raw.reasoningTokens &&
    session.costMicros === raw.costMicros
  );
}

async function runUsage(ctx: BenchContext): Promise<ScenarioOutcome> {
  const dir = makeTempDir(ctx.scenario, "usage");
  const { bench, fixture } = await usageFixtureCopy(ctx.scenario, ctx.runDir, dir);
  const session = new PrismaSession({ db: bench.db, sessionId: fixture.conversationId });
  const raw = new RawStore(bench.raw);
  const viaSession = await session.getSessionUsage();
  const viaRaw = raw.usageTotals(fixture.conversationId);
  if (viaRaw.rows !== fixture.turns || !sameTotals(viaSession, viaRaw)) {
    throw new Error(`getSessionUsage() ${JSON.stringify(viaSession)} is not the raw sum ${JSON.stringify(viaRaw)}`);
  }

  const samples = await sampleInterleaved(
    { session: () => session.getSessionUsage(), raw: async () => raw.usageTotals(fixture.conversationId) },
    { warmup: 20, minRounds: 50, maxRounds: 500, budgetMs: 8_000, label: "usage" },
  );
  const rows = [
    ratioRow(
      {
        figure: `getSessionUsage(), ${formatCount(fixture.turns)} turns`,
        unit: "ms",
        subject: summarize(samples.session),
        baselineLabel: "(raw better-sqlite3 SUM)",
        baseline: summarize(samples.raw),
      },
      MAX_RATIO,
    ),
  ];

  const log = loggingClient(ctx.scenario, bench.url);
  const call = await countCall(
    log,
    () => new PrismaSession({ db: log.db, sessionId: fixture.conversationId }).getSessionUsage(),
    () => session.getSessionUsage(),
  );
  const statements = call.driver;
  const facts = [
    `- Raw baseline SQL (prepared, one statement): \`${raw.usageTotalsSql}\``,
    `- \`getSessionUsage()\` sends ${describeCall(call)}.`,
  ];

  const diagnosis: string[] = [];
  const [row] = rows;
  if (row?.pass === false) {
    const cost = await measureStatementCost(bench.db, bench.raw, fixture.conversationId);
    const reads = replayReads(bench.raw, statements);
    const slowest = statements.find((statement) => statement.sql === reads[0]?.sql);
    const sqliteMs = reads.reduce((sum, read) => sum + read.ms, 0);
    const rawReplayMs = replayReads(bench.raw, [{ sql: raw.usageTotalsSql, params: [fixture.conversationId] }])[0]?.ms ?? Number.NaN;
    diagnosis.push(
      `- \`getSessionUsage()\` is ${formatRatio(ratio(row))} the raw sum: ${totalOf(call.kinds)} statements vs 1. SQLite itself runs the ` +
        `${statements.length} the driver saw in ${formatValue(sqliteMs, "ms")} and the raw sum in ${formatValue(rawReplayMs, "ms")} (both replayed on a ` +
        `raw connection just now), so ${formatValue(sqliteMs - rawReplayMs, "ms")} of the gap is the SQL itself and the rest the client. ` +
        describeStatementCost(cost),
      "- Its reads, replayed on raw better-sqlite3, slowest first:",
      ...reads.map((read) => `  - ${describeRead(read)}`),
    );
    if (slowest) {
      diagnosis.push("- `EXPLAIN QUERY PLAN` of the slowest:", "```", ...explainPlan(bench.raw, slowest.sql, slowest.params), "```");
    }
    diagnosis.push("- `EXPLAIN QUERY PLAN` of the raw sum:", "```", ...explainPlan(bench.raw, raw.usageTotalsSql, [fixture.conversationId]), "```");
  }
  return { rows, diagnosis, facts };
}

/** 6. Conversation usage totals (`getSessionUsage()`) at 10,000 turns vs a raw SUM over the same rows. */
export const usageScenario: Scenario = {
  id: "6",
  title: "Usage totals",
  about:
    `\`PrismaSession.getSessionUsage()\` (the whole conversation) on a conversation of ${formatCount(USAGE_TURNS)} turns, each charged once ` +
    "through `storeRunUsage`, against raw better-sqlite3 summing the same usage rows in one prepared statement (its SQL is below; it uses " +
    "`TurnUsage.conversationId` when the schema has it, else joins `Turn`). Results checked equal (turns = rows, requests, tokens, cost); " +
    "interleaved. The database holds only that conversation (and the simple session of scenario 7).",
  command: "npm run bench -- --only=usage",
  run: runUsage,
};
