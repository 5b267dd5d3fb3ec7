import type { BudgetStatus } from "@/lib/api-types";

/** From this share of a budget on, the composer warns. */
export const WARN_AT = 0.8;

/** Whole percent of a budget used (floored, so 79.9 % never reads as 80 %). */
export function percentUsed(status: BudgetStatus): number {
  return Math.floor((status.spentMicros * 100) / status.limitMicros);
}

/** The budgets at or past the warning share, most used first. */
export function budgetWarnings(statuses: readonly BudgetStatus[]): BudgetStatus[] {
  return statuses
    .filter((status) => status.spentMicros >= status.limitMicros * WARN_AT)
    .sort((a, b) => b.spentMicros / b.limitMicros - a.spentMicros / a.limitMicros);
}

/**
 * The budget a turn may not start under: one already used up, or one this turn's input alone would cross
 * (`turnCostMicros` null = unpriced, so only a used-up budget refuses). The conversation's is named first.
 */
export function refusingBudget(statuses: readonly BudgetStatus[], turnCostMicros: number | null): BudgetStatus | null {
  const order = [...statuses].sort((a, b) => (a.scope === b.scope ? 0 : a.scope === "conversation" ? -1 : 1));
  return order.find((status) => status.spentMicros >= status.limitMicros || status.spentMicros + (turnCostMicros ?? 0) > status.limitMicros) ?? null;
}

/** Dollars for a server message: cents, or four decimals below a cent so a small spend is not shown as $0.00. */
export function dollars(micros: number): string {
  const value = micros / 1_000_000;
  return `$${value > 0 && value < 0.01 ? value.toFixed(4) : value.toFixed(2)}`;
}

const BUDGET_NAME: Record<BudgetStatus["scope"], string> = {
  conversation: "this conversation's budget",
  month: "your monthly budget",
};

const HOW_TO_RAISE: Record<BudgetStatus["scope"], string> = {
  conversation: "Raise or remove it in the conversation's settings (Budget for this conversation).",
  month: "Raise or remove it in Settings → Budget.",
};

/** The refusal a user reads: which budget, what is spent, what this turn would add, and how to raise it. */
export function refusalMessage(status: BudgetStatus, turnCostMicros: number | null): string {
  const spent = `${dollars(status.spentMicros)} is spent`;
  const turn = turnCostMicros === null || status.spentMicros >= status.limitMicros ? "" : ` and this message would add about ${dollars(turnCostMicros)}`;
  return `This message would go past ${BUDGET_NAME[status.scope]} of ${dollars(status.limitMicros)}: ${spent}${turn}. ${HOW_TO_RAISE[status.scope]}`;
}

/** The composer's warning line, e.g. "82% of this conversation's $0.50 budget used". */
export function warningText(status: BudgetStatus, formatMoney: (micros: number) => string): string {
  const name = status.scope === "conversation" ? "this conversation's" : "your monthly";
  return `${percentUsed(status)}% of ${name} ${formatMoney(status.limitMicros)} budget used`;
}
