/** Statement counts by kind (first keyword; a `WITH` query counts as the statement it ends in), e.g. { SELECT: 4, INSERT: 2 }. */
export type StatementKinds = Record<string, number>;

const ORDER = ["BEGIN", "SELECT", "INSERT", "UPDATE", "DELETE", "COMMIT", "ROLLBACK"];

/** The kind of one SQL statement: BEGIN, SELECT, INSERT, UPDATE, DELETE, COMMIT, ROLLBACK, PRAGMA …, or OTHER. */
export function statementKind(sql: string): string {
  const first = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? "OTHER";
  if (first !== "WITH") return first === "END" ? "COMMIT" : first;
  return /\b(INSERT|UPDATE|DELETE)\b/i.exec(sql)?.[1]?.toUpperCase() ?? "SELECT";
}

/** Counts SQL statements by kind. */
export function kindsOf(sqls: readonly string[]): StatementKinds {
  const kinds: StatementKinds = {};
  for (const sql of sqls) kinds[statementKind(sql)] = (kinds[statementKind(sql)] ?? 0) + 1;
  return kinds;
}

/** The sum of several counts, kind by kind. */
export function addKinds(...counts: readonly StatementKinds[]): StatementKinds {
  const total: StatementKinds = {};
  for (const count of counts) for (const [kind, n] of Object.entries(count)) total[kind] = (total[kind] ?? 0) + n;
  return total;
}

/** How many statements in all. */
export function totalOf(kinds: StatementKinds): number {
  return Object.values(kinds).reduce((sum, n) => sum + n, 0);
}

/** "1 BEGIN, 4 SELECT, 2 INSERT, 1 COMMIT": transaction bounds first and last, then reads, then writes; "none" when empty. */
export function describeKinds(kinds: StatementKinds): string {
  const rank = (kind: string) => (ORDER.includes(kind) ? ORDER.indexOf(kind) : ORDER.indexOf("COMMIT") - 0.5);
  const entries = Object.entries(kinds)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  return entries.length > 0 ? entries.map(([kind, n]) => `${n} ${kind}`).join(", ") : "none";
}
