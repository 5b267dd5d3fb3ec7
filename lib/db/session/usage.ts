import type { UsageCounts } from "../../usage/totals.ts";
import type { Sql } from "../sql-store.ts";
import { USAGE_LINE_COLUMNS, USAGE_SUMS, toUsageLine, toUsageSums, type UsageLine, type UsageSumsRow } from "./paths.ts";

/** A usage row to store: counts, cost and the price snapshot it was computed with. */
export interface NewUsage extends UsageCounts {
  purpose: string;
  model: string | null;
  estimated: boolean;
  costMicros: number | null;
  inputPricePerMillion: number | null;
  cachedPricePerMillion: number | null;
  outputPricePerMillion: number | null;
}

const INSERT_COLUMNS = `"turnId", "conversationId", "firstOfTurn", "purpose", "model", "requests", "inputTokens", "cachedInputTokens", "outputTokens",
  "reasoningTokens", "estimated", "costMicros", "inputPricePerMillion", "cachedPricePerMillion", "outputPricePerMillion", "createdAt"`;

/** Marks a turn's first usage row (one index probe at insert, so totals count turns without COUNT(DISTINCT)). */
const FIRST_OF_TURN = `NOT EXISTS (SELECT 1 FROM "TurnUsage" x WHERE x."turnId" = t."id")`;

function usageParams(usage: NewUsage): unknown[] {
  return [
    usage.purpose,
    usage.model,
    usage.requests,
    usage.inputTokens,
    usage.cachedInputTokens,
    usage.outputTokens,
    usage.reasoningTokens,
    usage.estimated,
    usage.costMicros,
    usage.inputPricePerMillion,
    usage.cachedPricePerMillion,
    usage.outputPricePerMillion,
    new Date(),
  ];
}

/** Stores usage on a turn of a conversation; false when the conversation has no such turn. */
export async function insertUsageOnTurn(sql: Sql, args: { turnId: string; conversationId: string; usage: NewUsage }): Promise<boolean> {
  const changed = await sql.run(
    `INSERT INTO "TurnUsage" (${INSERT_COLUMNS})
     SELECT t."id", t."conversationId", ${FIRST_OF_TURN}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
     FROM "Turn" t WHERE t."id" = ? AND t."conversationId" = ?`,
    [...usageParams(args.usage), args.turnId, args.conversationId],
  );
  return changed > 0;
}

/**
 * Stores usage on the head of a conversation's active branch in one statement; false when the branch is empty. When
 * the head is a compaction node, only compaction usage goes on it: the rest belongs to the turn that ran before it.
 */
export async function insertUsageOnActiveHead(sql: Sql, args: { conversationId: string; usage: NewUsage }): Promise<boolean> {
  const changed = await sql.run(
    `INSERT INTO "TurnUsage" (${INSERT_COLUMNS})
     SELECT t."id", t."conversationId", ${FIRST_OF_TURN}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
     FROM "Conversation" c JOIN "Branch" b ON b."id" = c."activeBranchId" JOIN "Turn" h ON h."id" = b."headTurnId"
     JOIN "Turn" t ON t."id" = CASE WHEN h."kind" = 'compaction' AND h."parentId" IS NOT NULL AND ? <> 'compaction' THEN h."parentId" ELSE h."id" END
     WHERE c."id" = ?`,
    [...usageParams(args.usage), args.usage.purpose, args.conversationId],
  );
  return changed > 0;
}

/**
 * Usage over every turn a conversation owns (what was really paid, each turn once): one indexed scan, no join; with
 * `userId`, only when the conversation is that user's (in the same statement).
 */
export async function conversationUsageSums(sql: Sql, args: { conversationId: string; userId?: string }): Promise<UsageSumsRow> {
  const rows =
    args.userId === undefined
      ? await sql.all(`SELECT ${USAGE_SUMS} FROM "TurnUsage" u WHERE u."conversationId" = ?`, [args.conversationId])
      : await sql.all(
          `SELECT ${USAGE_SUMS} FROM "TurnUsage" u
           WHERE u."conversationId" = ? AND EXISTS (SELECT 1 FROM "Conversation" c WHERE c."id" = ? AND c."userId" = ?)`,
          [args.conversationId, args.conversationId, args.userId],
        );
  return toUsageSums(rows[0]);
}

/** The usage rows of one turn of a conversation. */
export async function turnUsageLines(sql: Sql, args: { turnId: string; conversationId: string }): Promise<UsageLine[]> {
  const rows = await sql.all(`SELECT ${USAGE_LINE_COLUMNS} FROM "TurnUsage" u WHERE u."turnId" = ? AND u."conversationId" = ? ORDER BY u."id" ASC`, [
    args.turnId,
    args.conversationId,
  ]);
  return rows.map(toUsageLine);
}
