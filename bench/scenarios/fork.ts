import { PrismaSession } from "@/lib/session";
import type { BenchContext } from "../lib/context";
import { describeRead, describeStatements, explainPlan, loggingClient, replayReads } from "../lib/diagnostics";
import { mainHead, SIDE_BRANCHES, templateCopy } from "../lib/fixtures";
import { formatRatio } from "../lib/format";
import { ratio, ratioRow, type Scenario, type ScenarioOutcome } from "../lib/result";
import { sampleInterleaved } from "../lib/sampler";
import { summarize } from "../lib/stats";
import { makeTempDir } from "../lib/temp-dir";

const MAX_RATIO = 1.5;

/** The walk `turnAtDepth` runs to find the fork turn (tree-queries.ts), for EXPLAIN QUERY PLAN. */
const TURN_AT_DEPTH_SQL = `
  WITH RECURSIVE path("id", "parentId", "depth") AS (
    SELECT "id", "parentId", "depth" FROM "Turn" WHERE "id" = ?
    UNION ALL
    SELECT t."id", t."parentId", t."depth" FROM "Turn" t JOIN path ON t."id" = path."parentId"
    WHERE path."depth" > ?
  )
  SELECT "id" FROM path WHERE "depth" = ?`;

async function runFork(ctx: BenchContext): Promise<ScenarioOutcome> {
  const dir = makeTempDir(ctx.scenario, "fork");
  const { bench, conversations } = await templateCopy(ctx.scenario, ctx.runDir, dir);
  const session = (sessionId: string) => new PrismaSession({ db: bench.db, sessionId });
  const short = session(conversations.turns10);
  const middle = session(conversations.turns1000);
  const long = session(conversations.turns10000);
  const samples = await sampleInterleaved(
    {
      turns10: () => short.createBranchFromTurn(10, { inclusive: true }),
      turns1000: () => middle.createBranchFromTurn(1_000, { inclusive: true }),
      turns10000: () => long.createBranchFromTurn(10_000, { inclusive: true }),
    },
    { warmup: 5, minRounds: 20, maxRounds: 150, budgetMs: 12_000, label: "fork" },
  );
  const head = bench.raw
    .prepare(`SELECT t."depth" FROM "Conversation" c JOIN "Branch" b ON b."id" = c."activeBranchId" JOIN "Turn" t ON t."id" = b."headTurnId" WHERE c."id" = ?`)
    .get(conversations.turns10000) as { depth: number } | undefined;
  if (head?.depth !== 10_000) throw new Error(`the fork's head is at depth ${head?.depth}, expected 10000`);

  const baseline = summarize(samples.turns10);
  const rows = [
    ratioRow({ figure: "fork at the last turn, 10,000 turns", unit: "ms", subject: summarize(samples.turns10000), baselineLabel: "(fork, 10 turns)", baseline }, MAX_RATIO),
    ratioRow({ figure: "fork at the last turn, 1,000 turns", unit: "ms", subject: summarize(samples.turns1000), baselineLabel: "(fork, 10 turns)", baseline }, null),
  ];
  const diagnosis: string[] = [];
  if (rows[0]?.pass === false) {
    const log = loggingClient(ctx.scenario, bench.url);
    const profile = async (sessionId: string, turn: number) => {
      const logged = new PrismaSession({ db: log.db, sessionId });
      await logged.createBranchFromTurn(turn, { inclusive: true });
      log.take();
      await logged.createBranchFromTurn(turn, { inclusive: true });
      return log.take();
    };
    const atShort = await profile(conversations.turns10, 10);
    const atLong = await profile(conversations.turns10000, 10_000);
    const headId = mainHead(bench.raw, conversations.turns10000);
    diagnosis.push(
      `- Fork @ 10,000 is ${formatRatio(ratio(rows[0]))} the fork @ 10. Statements per fork: ${describeStatements(atShort)} at 10 turns, ` +
        `${describeStatements(atLong)} at 10,000 turns (+ BEGIN).`,
      "- Slowest reads of one fork at 10,000 turns, replayed on raw better-sqlite3:",
      ...replayReads(bench.raw, atLong).slice(0, 3).map((read) => `  - ${describeRead(read)}`),
      "- Slowest reads of one fork at 10 turns, replayed the same way:",
      ...replayReads(bench.raw, atShort).slice(0, 3).map((read) => `  - ${describeRead(read)}`),
      "- `EXPLAIN QUERY PLAN` of the `turnAtDepth` walk at 10,000 turns:",
      "```",
      ...explainPlan(bench.raw, TURN_AT_DEPTH_SQL, [headId, 10_000, 10_000]),
      "```",
    );
  }
  return { rows, diagnosis, facts: [] };
}

/** 1. `createBranchFromTurn(last, { inclusive: true })` on conversations of 10, 1,000 and 10,000 turns. */
export const forkScenario: Scenario = {
  id: "1",
  title: "Fork cost vs length",
  about:
    "`PrismaSession.createBranchFromTurn(last, { inclusive: true })` on the active branch of conversations of 10, 1,000 " +
    `and 10,000 turns (the 10,000-turn one also carries ${SIDE_BRANCHES} side branches), forks interleaved round by round. ` +
    "Each fork makes the new branch active; its head is the same last turn, so every round forks the same path.",
  command: "npm run bench -- --only=fork",
  run: runFork,
};
