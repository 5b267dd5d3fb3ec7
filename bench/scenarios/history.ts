import { isDeepStrictEqual } from "node:util";
import { PrismaSession } from "@/lib/session";
import { newId } from "@/lib/session/ids";
import { countCall } from "../lib/call-statements";
import type { BenchContext } from "../lib/context";
import {
  describeRead,
  describeStatementCost,
  explainPlan,
  loggingClient,
  measureStatementCost,
  replayAll,
  replayReads,
} from "../lib/diagnostics";
import { mainHead, SIDE_BRANCHES, templateCopy } from "../lib/fixtures";
import { formatRatio, formatValue } from "../lib/format";
import { twoStatementHistory } from "../lib/lean-queries";
import { PATH_ITEMS_SQL, RawStore } from "../lib/raw-store";
import { ratio, ratioRow, type Scenario, type ScenarioOutcome } from "../lib/result";
import { sampleInterleaved } from "../lib/sampler";
import { turnItems } from "../lib/seed";
import { createSimpleTables, seedSimpleTurns, SIMPLE_LATEST_ITEMS_SQL, SimplePrismaSession } from "../lib/simple-session";
import { describeKinds, totalOf } from "../lib/statement-kinds";
import { median, summarize } from "../lib/stats";
import { makeTempDir } from "../lib/temp-dir";

const LIMIT = 50;
const MAX_RAW_RATIO = 3;
const MAX_LENGTH_RATIO = 1.5;
const MAX_SIMPLE_RATIO = 1;
const SIMPLE_TURNS = 10_000;

async function runHistory(ctx: BenchContext): Promise<ScenarioOutcome> {
  const dir = makeTempDir(ctx.scenario, "history");
  const { bench, conversations } = await templateCopy(ctx.scenario, ctx.runDir, dir);
  const long = new PrismaSession({ db: bench.db, sessionId: conversations.turns10000 });
  const short = new PrismaSession({ db: bench.db, sessionId: conversations.turns100 });
  const raw = new RawStore(bench.raw);
  const branches = (bench.raw.prepare(`SELECT COUNT(*) AS n FROM "Branch" WHERE "conversationId" = ?`).get(conversations.turns10000) as { n: number }).n;
  if (branches !== SIDE_BRANCHES + 1) throw new Error(`expected ${SIDE_BRANCHES + 1} branches, found ${branches}`);
  const viaPrisma = await long.getItems(LIMIT);
  if (viaPrisma.length !== LIMIT || !isDeepStrictEqual(viaPrisma, raw.latestItems(conversations.turns10000, LIMIT))) {
    throw new Error("the raw baseline does not return the same 50 items as getItems(50)");
  }
  await createSimpleTables(bench.db);
  const simple = new SimplePrismaSession(bench.db, newId());
  await seedSimpleTurns(simple, SIMPLE_TURNS, turnItems);
  if (!isDeepStrictEqual(await simple.getItems(LIMIT), viaPrisma)) throw new Error("the simple session does not return the same 50 items as getItems(50)");

  const samples = await sampleInterleaved(
    {
      prismaLong: () => long.getItems(LIMIT),
      prismaShort: () => short.getItems(LIMIT),
      rawLong: async () => raw.latestItems(conversations.turns10000, LIMIT),
      simpleLong: () => simple.getItems(LIMIT),
    },
    { warmup: 20, minRounds: 50, maxRounds: 500, budgetMs: 10_000, label: "history" },
  );
  const subject = summarize(samples.prismaLong);
  const rows = [
    ratioRow(
      { figure: "getItems(50), 10,000 turns / 100 branches", unit: "ms", subject, baselineLabel: "(raw better-sqlite3, same SQL)", baseline: summarize(samples.rawLong) },
      MAX_RAW_RATIO,
    ),
    ratioRow(
      { figure: "getItems(50), 10,000 vs 100 turns", unit: "ms", subject, baselineLabel: "(getItems(50), 100 turns)", baseline: summarize(samples.prismaShort) },
      MAX_LENGTH_RATIO,
    ),
    ratioRow(
      {
        figure: "getItems(50), 10,000 turns / 100 branches vs simple session",
        unit: "ms",
        subject,
        baselineLabel: "(simple Prisma session, 10,000 turns)",
        baseline: summarize(samples.simpleLong),
      },
      MAX_SIMPLE_RATIO,
    ),
  ];

  const diagnosis: string[] = [];
  const [vsRaw, vsShort, vsSimple] = rows;
  if (vsRaw?.pass === false || vsShort?.pass === false || vsSimple?.pass === false) {
    const log = loggingClient(ctx.scenario, bench.url);
    const call = await countCall(
      log,
      () => new PrismaSession({ db: log.db, sessionId: conversations.turns10000 }).getItems(LIMIT),
      () => long.getItems(LIMIT),
    );
    const statements = call.driver;
    const kinds = call.kinds;
    const head = mainHead(bench.raw, conversations.turns10000);
    const lean = await sampleInterleaved(
      {
        twoStatements: () => twoStatementHistory(bench.db, conversations.turns10000, LIMIT),
        pathOnlyPrisma: () => bench.db.$queryRawUnsafe(PATH_ITEMS_SQL, head, LIMIT, LIMIT),
        pathOnlyRaw: async () => raw.pathItems(head, LIMIT),
      },
      { warmup: 20, minRounds: 50, maxRounds: 400, budgetMs: 4_000, label: "history diagnosis" },
    );
    if (!isDeepStrictEqual(await twoStatementHistory(bench.db, conversations.turns10000, LIMIT), viaPrisma)) {
      throw new Error("twoStatementHistory does not return the same items as getItems(50)");
    }
    const cost = await measureStatementCost(bench.db, bench.raw, conversations.turns10000);
    if (vsRaw?.pass === false) {
      diagnosis.push(
        `- getItems(50) is ${formatRatio(ratio(vsRaw))} raw. It sends ${totalOf(kinds)} statements (${describeKinds(kinds)}); the raw baseline sends 2.`,
        `- SQLite itself runs those ${statements.length} statements in ${formatValue(replayAll(bench.raw, statements), "ms")} (replayed on a raw ` +
          `connection). ${describeStatementCost(cost)}`,
        `- The path walk alone: ${formatValue(median(lean.pathOnlyPrisma), "ms")} through Prisma \`$queryRawUnsafe\` vs ${formatValue(median(lean.pathOnlyRaw), "ms")} raw. ` +
          "The walk stops after the 25 turns that hold 50 items (plan below); what it does is the same at 100 and 10,000 turns (row 2b), " +
          "so the gap to raw is the extra round trips, not the query.",
        `- Measured fix: one conversation read (owner, active branch, history limit) plus the walk anchored on the active branch's head ` +
          `(2 statements, \`twoStatementHistory\` in \`bench/lib/lean-queries.ts\`, same 50 items) takes ${formatValue(median(lean.twoStatements), "ms")} ` +
          `through Prisma = ${formatRatio(median(lean.twoStatements) / vsRaw.baseline.median)} raw. Proposal for \`lib/session\`: let \`getItems\` ` +
          "read the conversation once and anchor `pathItems` on the branch id instead of reading the branch row first.",
      );
    }
    if (vsShort?.pass === false) {
      diagnosis.push(
        `- getItems(50) at 10,000 turns is ${formatRatio(ratio(vsShort))} the same read at 100 turns. Its reads, replayed on raw better-sqlite3 at 10,000 turns:`,
        ...replayReads(bench.raw, statements).map((read) => `  - ${describeRead(read)}`),
      );
    }
    if (vsSimple?.pass === false) {
      const sessionSqlMs = replayReads(bench.raw, statements).reduce((sum, read) => sum + read.ms, 0);
      const simpleSqlMs = replayReads(bench.raw, [{ sql: SIMPLE_LATEST_ITEMS_SQL, params: [simple.sessionId, LIMIT] }])[0]?.ms ?? Number.NaN;
      const gap = vsSimple.subject.median - vsSimple.baseline.median;
      diagnosis.push(
        `- getItems(50) is ${formatRatio(ratio(vsSimple))} the simple session's read of its newest 50 items (${formatValue(vsSimple.baseline.median, "ms")}: ` +
          `one statement, a range scan of the (sessionId, position) index). Forkline sends ${totalOf(kinds)} (${describeKinds(kinds)}). SQLite ` +
          `itself runs them in ${formatValue(sessionSqlMs, "ms")} and the simple read in ${formatValue(simpleSqlMs, "ms")} (replayed on a raw ` +
          `connection just now)` +
          (sessionSqlMs - simpleSqlMs >= gap
            ? `: the SQL alone differs by ${formatValue(sessionSqlMs - simpleSqlMs, "ms")}, more than the ${formatValue(gap, "ms")} gap, so the gap is ` +
              "SQLite's work (the walk and its sort, plan below), not the client."
            : `: ${formatValue(sessionSqlMs - simpleSqlMs, "ms")} of the ${formatValue(gap, "ms")} gap is the SQL, the rest the client and the session.`),
        "- `EXPLAIN QUERY PLAN` of the simple session's read:",
        "```",
        ...explainPlan(bench.raw, SIMPLE_LATEST_ITEMS_SQL, [simple.sessionId, LIMIT]),
        "```",
      );
    }
    const walk = statements.find((statement) => /^\s*WITH\b/i.test(statement.sql));
    diagnosis.push(
      walk ? "- `EXPLAIN QUERY PLAN` of the session's path walk (as the driver saw it):" : "- `EXPLAIN QUERY PLAN` of the raw baseline's path walk:",
      "```",
      ...(walk ? explainPlan(bench.raw, walk.sql, walk.params) : explainPlan(bench.raw, PATH_ITEMS_SQL, [head, LIMIT, LIMIT])),
      "```",
    );
  }
  return { rows, diagnosis, facts: [] };
}

/** 2. `getItems(50)` on a 10,000-turn, 100-branch conversation vs raw SQL and vs a 100-turn conversation. */
export const historyScenario: Scenario = {
  id: "2",
  title: "History read",
  about:
    "`PrismaSession.getItems(50)` on the active branch (`main`, 10,000 turns deep, 100 branches in the conversation) against " +
    "raw better-sqlite3 running the equivalent SQL with prepared statements: the active-branch head lookup plus the same " +
    "recursive CTE + join as `pathItems`, with the same JSON parsing (results checked equal). Also against the same call on " +
    "a 100-turn conversation, and against the simple Prisma session (`bench/lib/simple-session.ts`) reading the newest 50 of its " +
    "10,000 turns' items (`ORDER BY position DESC LIMIT 50` via `$queryRaw` through the app's client, same JSON parsing, results checked " +
    "equal; its `SimpleItem` table is created in this scenario's copy). All four interleaved in each round.",
  command: "npm run bench -- --only=history",
  run: runHistory,
};
