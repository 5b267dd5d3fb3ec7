import type Database from "better-sqlite3";
import type { FifoLock } from "./fifo-lock.ts";

/** A row as a driver returns it: column name to value. */
export type Row = Record<string, unknown>;

/** Prisma's SQLite adapter stores DateTime as ISO 8601 text with an explicit offset; native writes match it. */
function toSqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

/** A statement's verb; for `WITH …` the verb of its main statement (the first one after the CTEs' closing parenthesis at depth 0). */
export function statementKind(sql: string): string {
  const text = sql.trim();
  if (!/^WITH\b/i.test(text)) return /^(\w+)/.exec(text)?.[1]?.toUpperCase() ?? "OTHER";
  let depth = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === "(") depth += 1;
    else if (char === ")") {
      depth -= 1;
      const after = /^\s*(SELECT|INSERT|UPDATE|DELETE)\b/i.exec(text.slice(index + 1));
      if (depth === 0 && after) return after[1]!.toUpperCase();
    }
  }
  return "OTHER";
}

/** How many statements ran natively, by first keyword (read by the benchmark when it sets the counter). */
function countStatement(sql: string): void {
  const counter = (globalThis as { __forklineSqlCounter?: { count: number; byKind: Record<string, number> } }).__forklineSqlCounter;
  if (!counter) return;
  const kind = statementKind(sql);
  counter.count += 1;
  counter.byKind[kind] = (counter.byKind[kind] ?? 0) + 1;
}

const CACHE_LIMIT = 256;

/**
 * The better-sqlite3 connection under Prisma's SQLite adapter, used directly for the session's hot paths: prepared
 * statements are cached (the adapter prepares on every call) and a write transaction costs no round trips. It shares
 * the adapter's process lock, so a native transaction and a Prisma one never interleave on the one connection.
 */
export class NativeSqlite {
  readonly #statements = new Map<string, Database.Statement>();

  constructor(
    readonly database: Database.Database,
    readonly lock: FifoLock,
  ) {}

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement) {
      // Least recently used last, so the cache evicts what has not run for longest.
      this.#statements.delete(sql);
    } else {
      statement = this.database.prepare(sql);
      if (statement.reader) statement.safeIntegers(false);
      if (this.#statements.size >= CACHE_LIMIT) this.#statements.delete(this.#statements.keys().next().value!);
    }
    this.#statements.set(sql, statement);
    return statement;
  }

  /** Number of prepared statements held (for tests of the cache). */
  get cachedStatements(): number {
    return this.#statements.size;
  }

  all(sql: string, params: readonly unknown[]): Row[] {
    countStatement(sql);
    const statement = this.#statement(sql);
    const values = params.map(toSqliteValue);
    return statement.reader ? (statement.all(...values) as Row[]) : (statement.run(...values), []);
  }

  run(sql: string, params: readonly unknown[]): number {
    countStatement(sql);
    return this.#statement(sql).run(...params.map(toSqliteValue)).changes;
  }

  /** Runs `work` alone on the connection, inside BEGIN IMMEDIATE … COMMIT when `transaction` is set. */
  async exclusive<T>(transaction: boolean, work: () => Promise<T>): Promise<T> {
    const release = await this.lock.acquire();
    try {
      if (!transaction) return await work();
      this.run("BEGIN IMMEDIATE", []);
      try {
        const result = await work();
        this.run("COMMIT", []);
        return result;
      } catch (error) {
        if (this.database.inTransaction) this.run("ROLLBACK", []);
        throw error;
      }
    } finally {
      release();
    }
  }
}
