import { describe, expect, it } from "vitest";
import { costFigureTitle, formatCostFigure, formatMoney, moneyDecimals } from "@/lib/client/format";

const figure = (costMicros: number, unpricedCalls = 0, unpricedModels: string[] = []) => ({ costMicros, unpricedCalls, unpricedModels });

/** The micro-dollars a displayed "$1,234.56789" stands for, by string arithmetic (no floats). */
function displayedMicros(text: string): number {
  const match = /^\$([\d,]+)\.(\d{2,6})$/.exec(text);
  if (!match) throw new Error(`not money: ${text}`);
  return Number(match[1]!.replaceAll(",", "")) * 1_000_000 + Number(match[2]!.padEnd(6, "0"));
}

describe("moneyDecimals", () => {
  it("gives each amount the decimals its micro-dollars need, at least 2 and at most 6", () => {
    expect(moneyDecimals([0])).toBe(2);
    expect(moneyDecimals([1_230_000])).toBe(2);
    expect(moneyDecimals([1_234_000])).toBe(3);
    expect(moneyDecimals([400])).toBe(4);
    expect(moneyDecimals([90])).toBe(5);
    expect(moneyDecimals([1])).toBe(6);
    expect(moneyDecimals([])).toBe(2);
  });

  it("shares the precision of the most precise figure among those shown together", () => {
    expect(moneyDecimals([400, 90, 490])).toBe(5);
    expect(moneyDecimals([2_000_000, 28_000])).toBe(3);
  });
});

describe("formatMoney", () => {
  it("shows an amount exactly with its own precision", () => {
    expect(formatMoney(0)).toBe("$0.00");
    expect(formatMoney(400)).toBe("$0.0004");
    expect(formatMoney(90)).toBe("$0.00009");
    expect(formatMoney(1)).toBe("$0.000001");
    expect(formatMoney(418_000)).toBe("$0.418");
    expect(formatMoney(2_000_000)).toBe("$2.00");
  });

  it("keeps thousands separators on large amounts", () => {
    expect(formatMoney(1_234_567_890_000)).toBe("$1,234,567.89");
    expect(formatMoney(1_234_567_890_123)).toBe("$1,234,567.890123");
  });

  it("pads to a shared precision, and rounds half up when asked for fewer decimals", () => {
    expect(formatMoney(400, 5)).toBe("$0.00040");
    expect(formatMoney(2_000_000, 6)).toBe("$2.000000");
    expect(formatMoney(1_005_000, 2)).toBe("$1.01");
    expect(formatMoney(-490, 5)).toBe("-$0.00049");
  });

  it("makes inherited + own = total on screen (400 + 90 = 490 µ$)", () => {
    const decimals = moneyDecimals([400, 90, 490]);
    const [inherited, own, total] = [400, 90, 490].map((micros) => formatMoney(micros, decimals));
    expect([inherited, own, total]).toEqual(["$0.00040", "$0.00009", "$0.00049"]);
    expect(displayedMicros(inherited!) + displayedMicros(own!)).toBe(displayedMicros(total!));
  });
});

describe("formatCostFigure", () => {
  it("is the known part alone when every call had a price", () => {
    expect(formatCostFigure(figure(1_230_000))).toBe("$1.23");
  });

  it("adds the unpriced calls and their models to the known part", () => {
    expect(formatCostFigure(figure(1_230_000, 2, ["llama3.2"]))).toBe("$1.23 + 2 unpriced calls (llama3.2)");
    expect(formatCostFigure(figure(0, 1, ["llama3.2"]))).toBe("$0.00 + 1 unpriced call (llama3.2)");
    expect(formatCostFigure(figure(400, 3, ["llama3.2", "mistral"]), 5)).toBe("$0.00040 + 3 unpriced calls (llama3.2, mistral)");
  });
});

describe("costFigureTitle", () => {
  it("states the exact micro-dollars and which models have no price", () => {
    expect(costFigureTitle(figure(490))).toBe("490 µ$ exactly");
    expect(costFigureTitle(figure(490, 2, ["llama3.2"]))).toBe("490 µ$ exactly; 2 calls have no price: llama3.2");
    expect(costFigureTitle(figure(1_234_567, 1, ["llama3.2"]))).toBe("1,234,567 µ$ exactly; 1 call has no price: llama3.2");
  });
});
