import type { StatementKinds } from "./statement-kinds";

/** The counter `lib/db` increments for every statement it runs natively on better-sqlite3 (outside Prisma's query log). */
export interface NativeStatementCounter {
  count: number;
  byKind: StatementKinds;
}

const holder = globalThis as { __forklineSqlCounter?: NativeStatementCounter };

/** Runs `work` with `globalThis.__forklineSqlCounter` set and returns what was counted; the counter is unset afterwards. */
export async function countNativeStatements<T>(work: () => Promise<T>): Promise<{ result: T; native: NativeStatementCounter }> {
  if (holder.__forklineSqlCounter) throw new Error("__forklineSqlCounter is already set: nested native statement counts");
  const native: NativeStatementCounter = { count: 0, byKind: {} };
  holder.__forklineSqlCounter = native;
  try {
    return { result: await work(), native };
  } finally {
    delete holder.__forklineSqlCounter;
  }
}
