import { Prisma } from "./generated/sqlite/client.ts";
import type { Db } from "./create-client.ts";
import type { PricedUsage } from "../usage/totals.ts";

/** One ledger row as the usage review and its exports read it; `conversationTitle` is null for a deleted conversation. */
export interface LedgerRow extends PricedUsage {
  id: number;
  createdAt: Date;
  conversationId: string;
  conversationTitle: string | null;
  /** False once the conversation was deleted. */
  conversationExists: boolean;
  turnId: string | null;
  purpose: string;
  scope: "turn" | "conversation";
  model: string | null;
  inputPricePerMillion: number | null;
  cachedPricePerMillion: number | null;
  outputPricePerMillion: number | null;
  priceFrom: string | null;
}

const num = (value: unknown) => Number(value ?? 0);
const optNum = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const optStr = (value: unknown) => (value === null || value === undefined ? null : String(value));

function toLedgerRow(row: Record<string, unknown>): LedgerRow {
  const parsed = {
    id: num(row.id),
    createdAt: row.createdAt instanceof Date ? row.createdAt : new Date(String(row.createdAt)),
    conversationId: String(row.conversationId),
    conversationTitle: optStr(row.title),
    conversationExists: row.conversationExists === true || Number(row.conversationExists) === 1,
    turnId: optStr(row.turnId),
    purpose: String(row.purpose),
    scope: row.scope === "conversation" ? ("conversation" as const) : ("turn" as const),
    model: optStr(row.model),
    requests: num(row.requests),
    inputTokens: num(row.inputTokens),
    cachedInputTokens: num(row.cachedInputTokens),
    outputTokens: num(row.outputTokens),
    reasoningTokens: num(row.reasoningTokens),
    costMicros: optNum(row.costMicros),
    estimated: row.estimated === true || Number(row.estimated) === 1,
    inputPricePerMillion: optNum(row.inputPricePerMillion),
    cachedPricePerMillion: optNum(row.cachedPricePerMillion),
    outputPricePerMillion: optNum(row.outputPricePerMillion),
    priceFrom: optStr(row.priceFrom),
  };
  return { ...parsed, cacheSavingsMicros: num(row.cacheSavingsMicros) };
}

/** A user's ledger rows recorded in [from, to), oldest first, with their conversation's title while it exists. */
export async function ledgerRowsInRange(args: { db: Db; userId: string; from: Date; to: Date }): Promise<LedgerRow[]> {
  const rows = await args.db.$queryRaw<Record<string, unknown>[]>`
    SELECT u."id", u."createdAt", u."conversationId", c."title", CASE WHEN c."id" IS NULL THEN 0 ELSE 1 END AS "conversationExists",
           u."turnId", u."purpose", u."scope", u."model", u."requests", u."inputTokens", u."cachedInputTokens",
           u."outputTokens", u."reasoningTokens", u."costMicros", u."estimated", u."inputPricePerMillion", u."cachedPricePerMillion",
           u."outputPricePerMillion", u."priceFrom", u."cacheSavingsMicros"
    FROM "TurnUsage" u LEFT JOIN "Conversation" c ON c."id" = u."conversationId"
    WHERE u."userId" = ${args.userId} AND u."createdAt" >= ${args.from} AND u."createdAt" < ${args.to}
    ORDER BY u."createdAt" ASC, u."id" ASC`;
  return rows.map(toLedgerRow);
}

/** Every ledger row of one conversation, oldest first. */
export async function ledgerRowsOfConversation(args: { db: Db; conversationId: string }): Promise<LedgerRow[]> {
  const rows = await args.db.$queryRaw<Record<string, unknown>[]>`
    SELECT u."id", u."createdAt", u."conversationId", c."title", CASE WHEN c."id" IS NULL THEN 0 ELSE 1 END AS "conversationExists",
           u."turnId", u."purpose", u."scope", u."model", u."requests", u."inputTokens", u."cachedInputTokens",
           u."outputTokens", u."reasoningTokens", u."costMicros", u."estimated", u."inputPricePerMillion", u."cachedPricePerMillion",
           u."outputPricePerMillion", u."priceFrom", u."cacheSavingsMicros"
    FROM "TurnUsage" u LEFT JOIN "Conversation" c ON c."id" = u."conversationId"
    WHERE u."conversationId" = ${args.conversationId}
    ORDER BY u."id" ASC`;
  return rows.map(toLedgerRow);
}

/** Known cost, unpriced calls and their models per conversation, over each conversation's whole ledger. */
export interface LedgerCost {
  costMicros: number;
  unpricedCalls: number;
  unpricedModels: string[];
}

/** The ledger cost of each of the given conversations (zero for one with no calls). */
export async function conversationLedgerCosts(db: Db, ids: string[]): Promise<Map<string, LedgerCost>> {
  const costs = new Map<string, LedgerCost>(ids.map((id) => [id, { costMicros: 0, unpricedCalls: 0, unpricedModels: [] }]));
  if (ids.length === 0) return costs;
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT u."conversationId" AS "id", u."model" AS "model", COALESCE(SUM(u."costMicros"), 0) AS "cost",
           SUM(CASE WHEN u."costMicros" IS NOT NULL THEN 0 WHEN u."requests" > 1 THEN u."requests" ELSE 1 END) AS "unpriced"
    FROM "TurnUsage" u WHERE u."conversationId" IN (${Prisma.join(ids)})
    GROUP BY u."conversationId", u."model"`;
  for (const row of rows) {
    const entry = costs.get(String(row.id));
    if (!entry) continue;
    entry.costMicros += num(row.cost);
    const unpriced = num(row.unpriced);
    if (unpriced > 0) {
      entry.unpricedCalls += unpriced;
      entry.unpricedModels = [...new Set([...entry.unpricedModels, optStr(row.model) ?? "unknown"])].sort();
    }
  }
  return costs;
}

/** Known micro-dollars a user's calls cost since `since` (unpriced calls add nothing), optionally in one conversation. */
export async function knownSpendSince(args: { db: Db; userIds: string[]; since: Date; conversationId?: string }): Promise<number> {
  if (args.userIds.length === 0) return 0;
  const spent = await args.db.turnUsage.aggregate({
    where: {
      userId: { in: args.userIds },
      createdAt: { gte: args.since },
      ...(args.conversationId === undefined ? {} : { conversationId: args.conversationId }),
    },
    _sum: { costMicros: true },
  });
  return spent._sum.costMicros ?? 0;
}

/** Known micro-dollars of a conversation's whole ledger (deleted branches included). */
export async function conversationKnownSpend(args: { db: Db; conversationId: string }): Promise<number> {
  const spent = await args.db.turnUsage.aggregate({ where: { conversationId: args.conversationId }, _sum: { costMicros: true } });
  return spent._sum.costMicros ?? 0;
}

/** Hands a user's ledger to another user (a guest who signs up keeps what they spent). */
export async function transferLedger(args: { db: Db | Prisma.TransactionClient; fromUserId: string; toUserId: string }): Promise<number> {
  const result = await args.db.turnUsage.updateMany({ where: { userId: args.fromUserId }, data: { userId: args.toUserId } });
  return result.count;
}

/** Deletes the ledger of the given users (account deletion, idle guests). */
export async function deleteLedgerOf(args: { db: Db | Prisma.TransactionClient; userIds: string[] }): Promise<number> {
  if (args.userIds.length === 0) return 0;
  const result = await args.db.turnUsage.deleteMany({ where: { userId: { in: args.userIds } } });
  return result.count;
}
