import "server-only";
import { createHash } from "node:crypto";
import type { BetterAuthOptions } from "better-auth";
import type { DBAdapter, DBTransactionAdapter, Where } from "@better-auth/core/db/adapter";

/** Marks a stored token as a hash, so rows written before hashing (clear tokens) are recognised and upgraded. */
export const HASHED_TOKEN_PREFIX = "h1:";

/** What the Session table stores for a session token: never the token itself. */
export function hashSessionToken(token: string): string {
  return `${HASHED_TOKEN_PREFIX}${createHash("sha256").update(token).digest("base64url")}`;
}

const isHashed = (value: string) => value.startsWith(HASHED_TOKEN_PREFIX);
type Row = Record<string, unknown>;
type Adapter = DBAdapter<BetterAuthOptions>;
type Operations = DBTransactionAdapter<BetterAuthOptions>;

/**
 * The stored values a token given to the adapter may match: its hash, or a legacy clear row. `byStored` also lets a
 * stored hash name its row (Better Auth lists sessions with it, and deletes look the row up with `findMany` first);
 * `findOne` and `update` — how a cookie's session is read and refreshed — never do, so a leaked table opens no session.
 */
function candidates(value: string, byStored: boolean): string[] {
  if (isHashed(value)) return byStored ? [value] : [];
  return [hashSessionToken(value), value];
}

function rewriteWhere(where: Where[] | undefined, byStored: boolean): { where: Where[] | undefined; tokens: string[] } {
  const tokens: string[] = [];
  const rewritten = where?.map((clause) => {
    if (clause.field !== "token") return clause;
    const operator = clause.operator ?? "eq";
    const values = operator === "eq" && typeof clause.value === "string" ? [clause.value] : operator === "in" && Array.isArray(clause.value) ? (clause.value as string[]) : null;
    if (!values) return clause;
    tokens.push(...values);
    return { ...clause, operator: "in" as const, value: values.flatMap((value) => candidates(value, byStored)) };
  });
  return { where: rewritten, tokens };
}

/** Wraps a Better Auth adapter so the `session` model stores a hash of each token and hands back the real one. */
export function withHashedSessionTokens(adapter: Adapter): Adapter {
  return {
    ...adapter,
    ...hashingOperations(adapter),
    transaction: (callback) => adapter.transaction((trx) => callback(hashingOperations(trx))),
  };
}

function hashingOperations(adapter: Operations): Operations {
  // A row found by its token gets the token back; a legacy clear row is upgraded to the hash on the way.
  async function restore<T>(row: T | null, tokens: string[]): Promise<T | null> {
    if (!row || typeof row !== "object") return row;
    const stored = (row as Row).token;
    if (typeof stored !== "string") return row;
    if (!isHashed(stored)) {
      await adapter.update({ model: "session", where: [{ field: "id", value: (row as Row).id as string }], update: { token: hashSessionToken(stored) } });
      return row;
    }
    const token = tokens.find((candidate) => !isHashed(candidate) && hashSessionToken(candidate) === stored);
    return token === undefined ? row : ({ ...row, token } as T);
  }
  const hashUpdate = (update: Row) => (typeof update.token === "string" ? { ...update, token: hashSessionToken(update.token) } : update);

  return {
    ...adapter,
    async create(args) {
      const token = (args.data as Row).token;
      if (args.model !== "session" || typeof token !== "string") return adapter.create(args);
      const row = await adapter.create({ ...args, data: { ...args.data, token: hashSessionToken(token) } });
      return (row && typeof row === "object" ? { ...row, token } : row) as never;
    },
    async findOne(args) {
      if (args.model !== "session") return adapter.findOne(args);
      const { where, tokens } = rewriteWhere(args.where, false);
      return restore(await adapter.findOne({ ...args, where: where ?? [] }), tokens);
    },
    async findMany(args) {
      if (args.model !== "session") return adapter.findMany(args);
      const { where, tokens } = rewriteWhere(args.where, true);
      const rows = await adapter.findMany({ ...args, where });
      return (await Promise.all(rows.map((row) => restore(row, tokens)))) as never;
    },
    async count(args) {
      return adapter.count(args.model === "session" ? { ...args, where: rewriteWhere(args.where, true).where } : args);
    },
    async update(args) {
      if (args.model !== "session") return adapter.update(args);
      const { where, tokens } = rewriteWhere(args.where, false);
      return restore(await adapter.update({ ...args, where: where ?? [], update: hashUpdate(args.update) }), tokens);
    },
    async updateMany(args) {
      if (args.model !== "session") return adapter.updateMany(args);
      return adapter.updateMany({ ...args, where: rewriteWhere(args.where, false).where ?? [], update: hashUpdate(args.update) });
    },
    async delete(args) {
      return adapter.delete(args.model === "session" ? { ...args, where: rewriteWhere(args.where, true).where ?? [] } : args);
    },
    async deleteMany(args) {
      return adapter.deleteMany(args.model === "session" ? { ...args, where: rewriteWhere(args.where, true).where ?? [] } : args);
    },
    async consumeOne(args) {
      return adapter.consumeOne(args.model === "session" ? { ...args, where: rewriteWhere(args.where, true).where ?? [] } : args);
    },
  };
}
