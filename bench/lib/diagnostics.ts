import Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { dbWaits, type Db } from "@/lib/db/create-client";
import { PrismaClient as PostgresClient } from "@/lib/db/generated/postgres/client";
import { PrismaClient } from "@/lib/db/generated/sqlite/client";
import type { NativeSqlite } from "@/lib/db/native-sqlite";
import { registerNativeSqlite } from "@/lib/db/sql-store";
import { serializedSqliteAdapter } from "@/lib/db/sqlite-adapter";
import { formatValue } from "./format";
import type { Resources } from "./resources";
import { sampleInterleaved } from "./sampler";
import { describeKinds, kindsOf, statementKind, type StatementKinds } from "./statement-kinds";
import { median } from "./stats";

export interface LoggedStatement {
  sql: string;
  params: unknown[];
}

export interface StatementLog {
  db: Db;
  /** The statements sent since the last call, in order (BEGIN is issued by the adapter and not logged). */
  take(): LoggedStatement[];
}

/**
 * A second Prisma client on the same database (SQLite file or PostgreSQL URL) that records every statement Prisma sends
 * (only for counting, never timed). What `lib/db` runs natively on its SQLite connection is not in this log: count it
 * with `countNativeStatements`.
 */
export function loggingClient(resources: Resources, url: string): StatementLog {
  let statements: LoggedStatement[] = [];
  const record = (event: { query: string; params: string }) => {
    let params: unknown[] = [];
    try {
      params = JSON.parse(event.params) as unknown[];
    } catch {
      params = [];
    }
    statements.push({ sql: event.query.replace(/\s+/g, " ").trim(), params });
  };
  const log = [{ emit: "event" as const, level: "query" as const }];
  let db: Db;
  if (/^postgres(ql)?:\/\//.test(url)) {
    const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: url, max: 2 }), log });
    client.$on("query", record);
    db = client as unknown as Db;
  } else {
    // Wired like `createDbClient` (serialized adapter, native handle registered), so the session takes the app's path.
    const registration: { onConnect?: (native: NativeSqlite) => void } = {};
    const adapter = serializedSqliteAdapter(new PrismaBetterSqlite3({ url, timeout: dbWaits().sqliteBusyTimeoutMs }), (native) => registration.onConnect?.(native));
    const client = new PrismaClient({ adapter, log });
    client.$on("query", record);
    registration.onConnect = registerNativeSqlite(client);
    db = client;
  }
  resources.defer("logging prisma client", () => db.$disconnect());
  return {
    db,
    take() {
      const taken = statements;
      statements = [];
      return taken;
    },
  };
}

/** Counts statements by kind, e.g. "3 SELECT, 2 UPDATE, 1 COMMIT". */
export function describeStatements(statements: readonly LoggedStatement[]): string {
  return describeKinds(kindsOf(statements.map(({ sql }) => sql)));
}

/** The statements of a log by kind, with the BEGIN the adapter sends unlogged counted once per logged COMMIT or ROLLBACK. */
export function loggedKinds(statements: readonly LoggedStatement[]): StatementKinds {
  const kinds = kindsOf(statements.map(({ sql }) => sql));
  const ends = (kinds.COMMIT ?? 0) + (kinds.ROLLBACK ?? 0);
  if (ends > (kinds.BEGIN ?? 0)) kinds.BEGIN = ends;
  return kinds;
}

/** SQLite's EXPLAIN QUERY PLAN for a statement, one line per step, indented by nesting. */
export function explainPlan(raw: Database.Database, sql: string, params: readonly unknown[]): string[] {
  const rows = raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { id: number; parent: number; detail: string }[];
  const depth = new Map<number, number>([[0, -1]]);
  return rows.map((row) => {
    const level = (depth.get(row.parent) ?? -1) + 1;
    depth.set(row.id, level);
    return `${"  ".repeat(level)}${row.detail}`;
  });
}

export interface ReplayedRead {
  sql: string;
  ms: number;
}

/** Re-runs the read statements of a log on a raw connection (median of `runs`), slowest first: where the time goes. */
export function replayReads(raw: Database.Database, statements: readonly LoggedStatement[], runs = 25): ReplayedRead[] {
  const reads = statements.filter(({ sql }) => statementKind(sql) === "SELECT");
  return reads
    .map(({ sql, params }) => {
      const statement = raw.prepare(sql);
      const times: number[] = [];
      for (let run = 0; run < runs; run += 1) {
        const start = performance.now();
        statement.all(...params);
        times.push(performance.now() - start);
      }
      return { sql, ms: median(times) };
    })
    .sort((a, b) => b.ms - a.ms);
}

function bindable(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return value;
}

/** SQLite's own time for a logged operation: its statements re-run raw in a rolled-back transaction (median ms). */
export function replayAll(raw: Database.Database, statements: readonly LoggedStatement[], runs = 25): number {
  const prepared = statements
    .filter(({ sql }) => !["BEGIN", "COMMIT", "ROLLBACK"].includes(statementKind(sql)))
    .map(({ sql, params }) => ({ statement: raw.prepare(sql), params: params.map(bindable) }));
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    raw.exec("BEGIN IMMEDIATE");
    const start = performance.now();
    try {
      for (const { statement, params } of prepared) {
        if (statement.reader) statement.all(...params);
        else statement.run(...params);
      }
      times.push(performance.now() - start);
    } finally {
      raw.exec("ROLLBACK");
    }
  }
  return median(times);
}

/** A copy of the database as it is now (`VACUUM INTO file`), opened raw: the state to replay a later write against. */
export function snapshot(resources: Resources, raw: Database.Database, file: string): Database.Database {
  raw.prepare("VACUUM INTO ?").run(file);
  const copy = new Database(file);
  resources.defer(`snapshot ${file}`, () => {
    copy.close();
  });
  return copy;
}

/** A replayed read as one Markdown bullet with its SQL shortened. */
export function describeRead(read: ReplayedRead): string {
  const flat = read.sql.replace(/\s+/g, " ").trim();
  const sql = flat.length > 140 ? `${flat.slice(0, 137)}…` : flat;
  return `${formatValue(read.ms, "ms")} — \`${sql.replaceAll("`", "")}\``;
}

export interface StatementCost {
  /** `$queryRaw` of `SELECT 1`: the adapter round trip alone. */
  prismaRawMs: number;
  /** `conversation.findUnique` by id: a model query (query plan, round trip, result mapping). */
  prismaModelMs: number;
  /** The same point read on a prepared better-sqlite3 statement. */
  rawPointMs: number;
  /** An interactive `$transaction` holding one `SELECT 1`. */
  prismaTransactionMs: number;
}

/** The fixed cost of one statement through Prisma vs raw, measured on this machine now. */
export async function measureStatementCost(db: Db, raw: Database.Database, conversationId: string): Promise<StatementCost> {
  const point = raw.prepare(`SELECT "id", "userId", "activeBranchId", "historyLimit" FROM "Conversation" WHERE "id" = ?`);
  const samples = await sampleInterleaved(
    {
      prismaRaw: () => db.$queryRaw`SELECT 1 AS one`,
      prismaModel: () => db.conversation.findUnique({ where: { id: conversationId }, select: { id: true, userId: true, activeBranchId: true, historyLimit: true } }),
      rawPoint: async () => point.get(conversationId),
      transaction: () => db.$transaction(async (tx) => tx.$queryRaw`SELECT 1 AS one`),
    },
    { warmup: 20, minRounds: 50, maxRounds: 400, budgetMs: 3_000, label: "statement cost" },
  );
  return {
    prismaRawMs: median(samples.prismaRaw),
    prismaModelMs: median(samples.prismaModel),
    rawPointMs: median(samples.rawPoint),
    prismaTransactionMs: median(samples.transaction),
  };
}

/** The statement cost as one Markdown sentence. */
export function describeStatementCost(cost: StatementCost): string {
  return (
    `Measured now: a point read by id costs ${formatValue(cost.prismaModelMs, "ms")} as a Prisma model query ` +
    `(\`findUnique\`) vs ${formatValue(cost.rawPointMs, "ms")} on a prepared better-sqlite3 statement; a bare \`$queryRaw\` ` +
    `round trip costs ${formatValue(cost.prismaRawMs, "ms")}, and an interactive \`$transaction\` around it ${formatValue(cost.prismaTransactionMs, "ms")}.`
  );
}
