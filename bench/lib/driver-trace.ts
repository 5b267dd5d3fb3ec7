import Database from "better-sqlite3";
import type { LoggedStatement } from "./diagnostics";

type Method = (...args: unknown[]) => unknown;

const EXECUTE_METHODS = ["run", "get", "all", "iterate"] as const;

function statementPrototype(): Record<string, Method> {
  const probe = new Database(":memory:");
  try {
    return Object.getPrototypeOf(probe.prepare("SELECT 1")) as Record<string, Method>;
  } finally {
    probe.close();
  }
}

/**
 * Every statement better-sqlite3 executed in this process while `work` ran, with its parameters, whoever sent it (Prisma's
 * adapter, a native path in `lib/db`, better-sqlite3's own `db.transaction()` wrapper): a cross-check of the statement
 * counts and the input of replays, never used while timing.
 */
export async function traceDriverStatements(work: () => Promise<unknown>): Promise<LoggedStatement[]> {
  const statement = statementPrototype();
  const database = Database.prototype as unknown as Record<string, Method>;
  const bound = new WeakMap<object, unknown[]>();
  const seen: LoggedStatement[] = [];
  const originalBind = statement.bind!;
  const originals = EXECUTE_METHODS.map((name) => [name, statement[name]!] as const);
  const originalExec = database.exec!;
  statement.bind = function (this: object, ...args: unknown[]) {
    bound.set(this, args.flat());
    return originalBind.apply(this, args);
  };
  for (const [name, original] of originals) {
    statement[name] = function (this: { source: string }, ...args: unknown[]) {
      seen.push({ sql: this.source, params: args.length > 0 ? args : (bound.get(this) ?? []) });
      return original.apply(this, args);
    };
  }
  database.exec = function (this: unknown, script: unknown) {
    seen.push({ sql: String(script), params: [] });
    return originalExec.call(this, script);
  };
  try {
    await work();
  } finally {
    statement.bind = originalBind;
    for (const [name, original] of originals) statement[name] = original;
    database.exec = originalExec;
  }
  return seen;
}
