import { loggedKinds, type LoggedStatement, type StatementLog } from "./diagnostics";
import { traceDriverStatements } from "./driver-trace";
import { countNativeStatements } from "./native-statements";
import { addKinds, describeKinds, kindsOf, totalOf, type StatementKinds } from "./statement-kinds";

/** One call's statements, counted outside any timed run. */
export interface CallStatements {
  /** Prisma's query log on the logging client, BEGIN counted once per logged COMMIT/ROLLBACK. */
  logged: LoggedStatement[];
  loggedKinds: StatementKinds;
  /** What `lib/db` counted through `globalThis.__forklineSqlCounter` during the same call. */
  native: StatementKinds;
  /** Logged + native: the reported count. */
  kinds: StatementKinds;
  /** The same call on the bench's own client: every statement better-sqlite3 executed, with its parameters (none on PostgreSQL). */
  driver: LoggedStatement[];
  driverKinds: StatementKinds;
}

/** Counts `viaLog` (on the logging client) with the native counter set, after tracing `viaApp` (on the app's client) at the driver. */
export async function countCall(log: StatementLog, viaLog: () => Promise<unknown>, viaApp?: () => Promise<unknown>): Promise<CallStatements> {
  const driver = viaApp ? await traceDriverStatements(viaApp) : [];
  log.take();
  const { native } = await countNativeStatements(viaLog);
  const logged = log.take();
  const fromLog = loggedKinds(logged);
  return { logged, loggedKinds: fromLog, native: native.byKind, kinds: addKinds(fromLog, native.byKind), driver, driverKinds: kindsOf(driver.map(({ sql }) => sql)) };
}

/** "2 statements (2 SELECT; Prisma's log 0, native 2; at the driver 2)", flagging a driver count that differs. */
export function describeCall(call: CallStatements, withDriver = true): string {
  const total = totalOf(call.kinds);
  const driver = totalOf(call.driverKinds);
  const cross = !withDriver ? "" : driver === total ? `; at the driver ${driver}` : `; at the driver ${driver} (${describeKinds(call.driverKinds)}), not ${total}`;
  return `${total} statements (${describeKinds(call.kinds)}; Prisma's log ${totalOf(call.loggedKinds)}, native ${totalOf(call.native)}${cross})`;
}
