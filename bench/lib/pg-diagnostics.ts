import type pg from "pg";
import type { Db } from "@/lib/db/create-client";
import type { LoggedStatement } from "./diagnostics";
import { formatValue } from "./format";
import { sampleInterleaved } from "./sampler";
import { statementKind } from "./statement-kinds";
import { median } from "./stats";

export interface PgRoundTrip {
  /** `$queryRaw` of `SELECT 1` through the app's Prisma client. */
  prismaMs: number;
  /** The same on the raw `pg` connection. */
  rawMs: number;
  /** An interactive `$transaction` holding one `SELECT 1`. */
  prismaTransactionMs: number;
}

/** The fixed cost of one PostgreSQL round trip through Prisma vs raw `pg`, measured on this machine now. */
export async function measurePgRoundTrip(db: Db, raw: pg.Client): Promise<PgRoundTrip> {
  const samples = await sampleInterleaved(
    {
      prisma: () => db.$queryRaw`SELECT 1 AS one`,
      raw: () => raw.query({ name: "bench-select-1", text: "SELECT 1 AS one" }),
      transaction: () => db.$transaction(async (tx) => tx.$queryRaw`SELECT 1 AS one`),
    },
    { warmup: 20, minRounds: 50, maxRounds: 400, budgetMs: 3_000, label: "postgres round trip" },
  );
  return { prismaMs: median(samples.prisma), rawMs: median(samples.raw), prismaTransactionMs: median(samples.transaction) };
}

/** The round-trip cost as one Markdown sentence. */
export function describePgRoundTrip(cost: PgRoundTrip): string {
  return (
    `Measured now: a \`SELECT 1\` round trip costs ${formatValue(cost.prismaMs, "ms")} through Prisma (\`$queryRaw\`) vs ` +
    `${formatValue(cost.rawMs, "ms")} on raw \`pg\`, and an interactive \`$transaction\` around it ${formatValue(cost.prismaTransactionMs, "ms")}.`
  );
}

/** The server's time for a log's reads: each re-run on the raw connection with its parameters (median of `runs`), summed. */
export async function replayPgReads(raw: pg.Client, statements: readonly LoggedStatement[], runs = 15): Promise<number> {
  let total = 0;
  for (const { sql, params } of statements.filter((statement) => statementKind(statement.sql) === "SELECT")) {
    const times: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const start = performance.now();
      await raw.query(sql, params);
      times.push(performance.now() - start);
    }
    total += median(times);
  }
  return total;
}

/** PostgreSQL's `EXPLAIN` (costs off) of a statement with its parameters, one line per plan node. */
export async function explainPg(raw: pg.Client, sql: string, params: readonly unknown[]): Promise<string[]> {
  const result = await raw.query<{ "QUERY PLAN": string }>(`EXPLAIN (COSTS OFF) ${sql}`, [...params]);
  return result.rows.map((row) => row["QUERY PLAN"]);
}
