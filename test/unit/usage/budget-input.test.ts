import { describe, expect, it } from "vitest";
import { budgetText, parseBudgetDollars } from "@/lib/client/budget-input";

describe("budget fields", () => {
  it("reads dollars as micro-dollars, blank as no budget", () => {
    expect(parseBudgetDollars("5")).toBe(5_000_000);
    expect(parseBudgetDollars(" $0.50 ")).toBe(500_000);
    expect(parseBudgetDollars(".25")).toBe(250_000);
    expect(parseBudgetDollars("")).toBeNull();
  });

  it("rejects what is not a positive amount", () => {
    for (const text of ["0", "-1", "abc", "1e3", "1,5", "0.0000001"]) expect(parseBudgetDollars(text), text).toBeUndefined();
  });

  it("shows a stored budget in dollars and round-trips it", () => {
    expect(budgetText(null)).toBe("");
    expect(budgetText(500_000)).toBe("0.5");
    expect(parseBudgetDollars(budgetText(1_234_567))).toBe(1_234_567);
  });
});
