/** The text of a budget field in dollars: blank = no budget. */
export function budgetText(micros: number | null | undefined): string {
  return micros === null || micros === undefined ? "" : String(micros / 1_000_000);
}

/** A budget field's dollars as micro-dollars: null for blank (no budget), undefined when it is not a positive amount. */
export function parseBudgetDollars(text: string): number | null | undefined {
  const trimmed = text.trim().replace(/^\$/, "");
  if (trimmed === "") return null;
  if (!/^\d*\.?\d+$/.test(trimmed)) return undefined;
  const micros = Math.round(Number(trimmed) * 1_000_000);
  return micros > 0 ? micros : undefined;
}

export const BUDGET_INPUT_ERROR = "A budget is a positive amount in dollars, such as 5 or 0.50 (blank: no budget).";
