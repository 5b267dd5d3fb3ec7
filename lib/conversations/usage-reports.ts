import "server-only";
import type { ConversationUsageReport, RepriceReport, TurnUsageView, UsageReviewReport, UsageTotals } from "@/lib/api-types";
import { getDb } from "@/lib/db";
import { getConversationById } from "@/lib/db/conversation-queries";
import { ledgerRowsInRange, ledgerRowsOfConversation, type LedgerRow } from "@/lib/db/ledger";
import { notFound } from "@/lib/http/app-error";
import { priceFor } from "@/lib/pricing/prices";
import { repriceUsage } from "@/lib/pricing/reprice";
import { PrismaSession, type TurnUsageRow } from "@/lib/session";
import { labelCalls } from "@/lib/usage/call-labels";
import { toCsv, usageTable, type UsageExportGroup, type UsageTable } from "@/lib/usage/export";
import { addTotals, cacheHitRate, rowTotals, sumUsage, toTotals, type PricedUsage } from "@/lib/usage/totals";

const DAY_MS = 24 * 60 * 60 * 1000;

async function ownedSession(userId: string, conversationId: string): Promise<PrismaSession> {
  const row = await getConversationById({ db: getDb(), id: conversationId, userId });
  if (!row) throw notFound("Conversation");
  return new PrismaSession({ sessionId: conversationId, userId, db: getDb() });
}

/** Ledger rows grouped by a key, each group summed with the one usage algebra. */
function groupTotals<R extends PricedUsage, K>(rows: R[], key: (row: R) => K): Map<K, UsageTotals> {
  const groups = new Map<K, UsageTotals>();
  for (const row of rows) {
    const group = key(row);
    const sum = groups.get(group);
    groups.set(group, sum ? addTotals(sum, rowTotals(row)) : rowTotals(row));
  }
  return groups;
}

const totals = (usage: UsageTotals | null): UsageTotals | null => (usage ? toTotals(usage) : null);

/** A turn of the usage panel with its calls labelled. */
export function toTurnUsageView(row: TurnUsageRow): TurnUsageView {
  const labels = labelCalls(row.calls.map((call) => ({ purpose: call.purpose, estimated: call.usage.estimated })));
  return {
    turn: row.turn,
    turnId: row.turnId,
    models: row.models,
    usage: totals(row)!,
    calls: row.calls.map((call, index) => ({
      id: call.id,
      purpose: call.purpose,
      label: labels[index]!,
      model: call.model,
      overhead: call.overhead,
      createdAt: call.createdAt.toISOString(),
      usage: call.usage,
    })),
  };
}

/** GET /api/conversations/:id/usage: the whole ledger, its overhead and deleted parts, each branch, each turn, each model. */
export async function handleConversationUsage(userId: string, id: string): Promise<ConversationUsageReport> {
  const session = await ownedSession(userId, id);
  const [total, parts, branches, turns, rows] = await Promise.all([
    session.getSessionUsage(),
    session.getLedgerParts(),
    session.listBranches(),
    session.getTurnUsage(),
    ledgerRowsOfConversation({ db: getDb(), conversationId: id }),
  ]);
  const branchViews = await Promise.all(
    branches.map(async (branch) => {
      const usage = await session.getBranchUsage(branch.id);
      return {
        branchId: branch.id,
        name: branch.name,
        isCurrent: branch.isCurrent,
        forkedFromTurn: branch.forkedFromTurn,
        inherited: totals(usage.inherited),
        own: totals(usage.own),
        total: totals(usage.total),
        cacheHitRate: usage.total ? cacheHitRate(usage.total) : null,
      };
    }),
  );
  return {
    total: totals(total),
    overhead: totals(parts.overhead),
    deletedBranches: totals(parts.deleted),
    cacheHitRate: total ? cacheHitRate(total) : null,
    branches: branchViews,
    turns: turns.map(toTurnUsageView),
    models: [...groupTotals(rows, (row) => row.model ?? "unknown")].map(([model, usage]) => ({ model, usage })),
  };
}

/** What a branch's path (or the whole conversation's ledger) would have cost on `model` at its current price. */
export async function handleReprice(userId: string, id: string, query: { model: string; branchId?: string }): Promise<RepriceReport> {
  const session = await ownedSession(userId, id);
  let rows: PricedUsage[];
  let actual: UsageTotals | null;
  if (query.branchId === undefined) {
    rows = await ledgerRowsOfConversation({ db: getDb(), conversationId: id });
    actual = await session.getSessionUsage();
  } else {
    const turns = await session.getTurnUsage(undefined, query.branchId);
    rows = turns.flatMap((turn) => turn.calls.filter((call) => !call.overhead).map((call) => ({ ...call.usage, model: call.model })));
    actual = (await session.getSessionUsage(query.branchId)) ?? null;
  }
  const repriced = repriceUsage(rows, query.model);
  return {
    model: query.model,
    branchId: query.branchId ?? null,
    actual: totals(actual),
    repricedMicros: repriced.costMicros,
    priceFrom: repriced.price?.from ?? priceFor(query.model)?.from ?? null,
  };
}

/** The ledger rows of a user's review range [from, to] (whole UTC days). */
export async function reviewRows(userId: string, range: { from: Date; to: Date }): Promise<LedgerRow[]> {
  return ledgerRowsInRange({ db: getDb(), userId, from: range.from, to: new Date(range.to.getTime() + DAY_MS) });
}

/** GET /api/usage: every call of the range by conversation (deleted ones as one line), day and model. */
export async function handleUsageReview(userId: string, range: { from: Date; to: Date }): Promise<UsageReviewReport> {
  const rows = await reviewRows(userId, range);
  const live = rows.filter((row) => row.conversationExists);
  const titles = new Map(live.map((row) => [row.conversationId, row.conversationTitle]));
  return {
    from: range.from.toISOString().slice(0, 10),
    to: range.to.toISOString().slice(0, 10),
    total: sumUsage(rows),
    conversations: [...groupTotals(live, (row) => row.conversationId)]
      .map(([conversationId, usage]) => ({ id: conversationId, title: titles.get(conversationId) ?? null, usage }))
      .sort((a, b) => b.usage.costMicros - a.usage.costMicros || b.usage.unpricedCalls - a.usage.unpricedCalls || b.usage.totalTokens - a.usage.totalTokens),
    deletedConversations: sumUsage(rows.filter((row) => !row.conversationExists)),
    days: [...groupTotals(rows, (row) => row.createdAt.toISOString().slice(0, 10))].map(([date, usage]) => ({ date, usage })).sort((a, b) => a.date.localeCompare(b.date)),
    models: [...groupTotals(rows, (row) => row.model ?? "unknown")].map(([model, usage]) => ({ model, usage })),
  };
}

/** GET /api/usage/export: one grouping of the range's ledger, as a table and its CSV. */
export async function handleUsageExport(userId: string, range: { from: Date; to: Date }, group: UsageExportGroup): Promise<UsageTable & { csv: string; filename: string }> {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const table = usageTable(await reviewRows(userId, range), group, { from: day(range.from), to: day(range.to) });
  return { ...table, csv: toCsv(table), filename: `forkline-usage-${group}-${table.from}-to-${table.to}.csv` };
}
