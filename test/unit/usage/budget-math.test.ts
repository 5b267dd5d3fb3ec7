import { describe, expect, it } from "vitest";
import type { BudgetStatus } from "@/lib/api-types";
import { budgetWarnings, dollars, percentUsed, refusalMessage, refusingBudget, warningText } from "@/lib/usage/budget-math";
import { startOfUtcMonth } from "@/lib/usage/budgets";

const conversation = (spentMicros: number, limitMicros = 500_000): BudgetStatus => ({ scope: "conversation", limitMicros, spentMicros });
const month = (spentMicros: number, limitMicros = 5_000_000): BudgetStatus => ({ scope: "month", limitMicros, spentMicros });

describe("refusingBudget", () => {
  it("refuses a used-up budget, even for an unpriced turn", () => {
    expect(refusingBudget([conversation(500_000)], null)).toEqual(conversation(500_000));
    expect(refusingBudget([conversation(499_999)], null)).toBeNull();
  });

  it("refuses the turn whose input would cross, not the one that lands exactly on the limit", () => {
    expect(refusingBudget([conversation(400_000)], 100_001)?.scope).toBe("conversation");
    expect(refusingBudget([conversation(400_000)], 100_000)).toBeNull();
  });

  it("names the conversation's budget first when both refuse, and finds the month's alone", () => {
    expect(refusingBudget([month(5_000_000), conversation(500_000)], 0)?.scope).toBe("conversation");
    expect(refusingBudget([month(4_999_000), conversation(10)], 2_000)?.scope).toBe("month");
    expect(refusingBudget([], 1_000_000)).toBeNull();
  });
});

describe("warnings", () => {
  it("warns from 80 % on, most used first, and floors the percentage", () => {
    expect(budgetWarnings([conversation(399_999), month(1)])).toEqual([]);
    expect(budgetWarnings([month(4_000_000), conversation(450_000)]).map((status) => status.scope)).toEqual(["conversation", "month"]);
    expect(percentUsed(conversation(399_999))).toBe(79);
    expect(warningText(conversation(390_000), dollars)).toBe("78% of this conversation's $0.50 budget used");
    expect(warningText(month(4_500_000), dollars)).toBe("90% of your monthly $5.00 budget used");
  });
});

describe("messages", () => {
  it("says which budget, what is spent, what the turn adds and how to raise it", () => {
    expect(refusalMessage(conversation(480_000), 30_000)).toBe(
      "This message would go past this conversation's budget of $0.50: $0.48 is spent and this message would add about $0.03. " +
        "Raise or remove it in the conversation's settings (Budget for this conversation).",
    );
    expect(refusalMessage(month(5_000_000), 30_000)).toBe(
      "This message would go past your monthly budget of $5.00: $5.00 is spent. Raise or remove it in Settings → Budget.",
    );
  });

  it("shows a spend below a cent with four decimals", () => {
    expect(dollars(4_000)).toBe("$0.0040");
    expect(dollars(0)).toBe("$0.00");
    expect(dollars(1_234_567)).toBe("$1.23");
  });
});

describe("startOfUtcMonth", () => {
  it("is midnight UTC on the first, whatever the local time zone", () => {
    expect(startOfUtcMonth(new Date("2026-12-31T23:59:59.999Z")).toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(startOfUtcMonth(new Date("2027-01-01T00:00:00.000Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});
