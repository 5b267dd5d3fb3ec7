import "server-only";
import type { BudgetStatus } from "@/lib/api-types";
import { getDb } from "@/lib/db";
import { conversationKnownSpend, knownSpendSince } from "@/lib/db/ledger";
import { getConversationBudget, getUserSettings } from "@/lib/db/settings";
import { AppError } from "@/lib/http/app-error";
import { refusalMessage, refusingBudget } from "./budget-math";

/** Midnight UTC on the first day of `now`'s month. */
export function startOfUtcMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** The budgets set for a user and one of their conversations, with the known spend each covers (only the set ones). */
export async function budgetStatuses(userId: string, conversationId: string, now: Date = new Date()): Promise<BudgetStatus[]> {
  const db = getDb();
  const [settings, conversationBudget] = await Promise.all([getUserSettings({ db, userId }), getConversationBudget({ db, id: conversationId, userId })]);
  const statuses: BudgetStatus[] = [];
  if (conversationBudget) {
    statuses.push({ scope: "conversation", limitMicros: conversationBudget, spentMicros: await conversationKnownSpend({ db, conversationId }) });
  }
  const monthly = settings?.monthlyBudgetMicros;
  if (monthly) {
    statuses.push({ scope: "month", limitMicros: monthly, spentMicros: await knownSpendSince({ db, userIds: [userId], since: startOfUtcMonth(now) }) });
  }
  return statuses;
}

/**
 * Refuses (402 `budget_exceeded`) a turn that would start with a budget used up or that its input's estimated cost
 * would cross. Reads only the database, so every instance enforces the same budgets; the estimate is only computed
 * when a budget is set.
 */
export async function enforceBudgets(args: { userId: string; conversationId: string; turnCostMicros: () => Promise<number | null> }): Promise<void> {
  const statuses = await budgetStatuses(args.userId, args.conversationId);
  if (statuses.length === 0) return;
  const turnCost = await args.turnCostMicros();
  const refusing = refusingBudget(statuses, turnCost);
  if (refusing) throw new AppError(402, "budget_exceeded", refusalMessage(refusing, turnCost));
}
