import type { Sql } from "../sql-store.ts";

/** The digest an operation id was applied with, or null when it was never applied. */
export async function findHistoryOperation(sql: Sql, args: { conversationId: string; operationId: string }): Promise<string | null> {
  const rows = await sql.all(`SELECT "digest" FROM "HistoryOperation" WHERE "conversationId" = ? AND "operationId" = ?`, [args.conversationId, args.operationId]);
  return rows[0] ? String(rows[0].digest) : null;
}

export async function recordHistoryOperation(sql: Sql, args: { conversationId: string; operationId: string; digest: string }): Promise<void> {
  await sql.run(`INSERT INTO "HistoryOperation" ("conversationId", "operationId", "digest", "createdAt") VALUES (?, ?, ?, ?)`, [
    args.conversationId,
    args.operationId,
    args.digest,
    new Date(),
  ]);
}
