import { PrismaSession } from "@/lib/session";
import type { BenchDb } from "./bench-db";
import { countCall, type CallStatements } from "./call-statements";
import { loggedKinds, loggingClient, type LoggedStatement } from "./diagnostics";
import { traceDriverStatements } from "./driver-trace";
import { RawStore, rawTurnItems, type RawUsage } from "./raw-store";
import type { Resources } from "./resources";
import { turnItems } from "./seed";
import { SimplePrismaSession } from "./simple-session";
import { addKinds, kindsOf, type StatementKinds } from "./statement-kinds";
import { SAMPLE_COUNTS, SAMPLE_MODEL } from "./usage-sample";

/** The statements of one turn appended by each contender, counted outside any timed run. */
export interface AppendStatements {
  addItems: CallStatements;
  storeRunUsage: CallStatements;
  /** addItems + storeRunUsage. */
  total: StatementKinds;
  /** The same append on the bench's own client (`createDbClient`), counted at better-sqlite3 first: the cross-check. */
  driver: StatementKinds;
  /** Those statements with their parameters, to replay on a snapshot taken before the count. */
  driverStatements: LoggedStatement[];
  /** The raw baseline's append, counted at the driver (BEGIN IMMEDIATE and COMMIT included). */
  raw: StatementKinds;
  /** The simple session's `addItems` of the same 2 items, from Prisma's query log. */
  simple: StatementKinds;
}

/**
 * Counts the statements of one append (`addItems([user, assistant])` + `storeRunUsage`): first at the driver on the bench's
 * own client, then on a logging Prisma client with `__forklineSqlCounter` set; and the baselines'. Appends two turns to
 * the Forkline conversation (numbers `turn`, `turn + 1`) and one to the raw and simple ones.
 */
export async function countAppendStatements(
  resources: Resources,
  bench: BenchDb,
  ids: { forkline: string; raw: string; simple: string },
  turn: number,
  usage: RawUsage,
): Promise<AppendStatements> {
  const own = new PrismaSession({ db: bench.db, sessionId: ids.forkline });
  const driver = await traceDriverStatements(async () => {
    await own.addItems(turnItems(turn));
    await own.storeRunUsage(SAMPLE_COUNTS, { model: SAMPLE_MODEL });
  });

  const log = loggingClient(resources, bench.url);
  const logged = new PrismaSession({ db: log.db, sessionId: ids.forkline });
  const addItems = await countCall(log, () => logged.addItems(turnItems(turn + 1)));
  const storeRunUsage = await countCall(log, () => logged.storeRunUsage(SAMPLE_COUNTS, { model: SAMPLE_MODEL }));

  const store = new RawStore(bench.raw);
  const raw = kindsOf((await traceDriverStatements(async () => store.appendTurn(ids.raw, rawTurnItems(turn), usage))).map(({ sql }) => sql));

  log.take();
  await new SimplePrismaSession(log.db, ids.simple).addItems(turnItems(turn));
  const simple = loggedKinds(log.take());
  return {
    addItems,
    storeRunUsage,
    total: addKinds(addItems.kinds, storeRunUsage.kinds),
    driver: kindsOf(driver.map(({ sql }) => sql)),
    driverStatements: driver,
    raw,
    simple,
  };
}
