import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cacheSavingsMicros, repriceUsage } from "@/lib/pricing/reprice";

beforeEach(() => vi.stubEnv("FORKLINE_PRICES_FILE", ""));
afterEach(() => vi.unstubAllEnvs());

describe("repriceUsage", () => {
  it("prices each row on its own and sums the rounded costs", () => {
    // gpt-4.1-nano: $0.10 in, $0.025 cached, $0.40 out per 1M. Each row costs 0.5 µ$ unrounded and rounds to 1;
    // pricing the summed counts once would give 2 µ$ instead of 4.
    const row = { inputTokens: 5, cachedInputTokens: 0, outputTokens: 0 };
    const result = repriceUsage([row, row, row, row], "gpt-4.1-nano", new Date("2025-05-01T00:00:00Z"));
    expect(result).toEqual({
      model: "gpt-4.1-nano",
      costMicros: 4,
      price: { inputPerMillion: 100_000, cachedPerMillion: 25_000, outputPerMillion: 400_000, from: "2025-04-14" },
    });
  });

  it("uses the price in force at the given date", () => {
    const rows = [{ inputTokens: 1000, cachedInputTokens: 400, outputTokens: 200 }];
    // o3 before 2025-06-10: 600 × $10 + 400 × $2.50 + 200 × $40 per 1M = 6000 + 1000 + 8000 µ$.
    expect(repriceUsage(rows, "o3", new Date("2025-06-09T23:59:59Z")).costMicros).toBe(15_000);
    // after: 600 × $2 + 400 × $0.50 + 200 × $8 per 1M = 1200 + 200 + 1600 µ$.
    expect(repriceUsage(rows, "o3", new Date("2025-06-10T00:00:00Z")).costMicros).toBe(3_000);
  });

  it("reads any iterable once", () => {
    function* rows() {
      yield { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 200 };
      yield { inputTokens: 2000, cachedInputTokens: 0, outputTokens: 0 };
    }
    // gpt-4o now: 4000 µ$ + 5000 µ$.
    expect(repriceUsage(rows(), "gpt-4o").costMicros).toBe(9_000);
  });

  it("is unknown for a model without a price then, and 0 for no rows", () => {
    const rows = [{ inputTokens: 1, cachedInputTokens: 0, outputTokens: 1 }];
    expect(repriceUsage(rows, "mystery-model-9000")).toEqual({ model: "mystery-model-9000", costMicros: null, price: null });
    expect(repriceUsage(rows, "gpt-5", new Date("2025-08-06T00:00:00Z")).costMicros).toBeNull();
    expect(repriceUsage([], "gpt-5").costMicros).toBe(0);
  });
});

describe("cacheSavingsMicros", () => {
  const snapshot = { inputPricePerMillion: 2_500_000, cachedPricePerMillion: 1_250_000 };

  it("is the cached tokens times the cache discount of the row's own snapshot, rounded", () => {
    expect(cacheSavingsMicros({ inputTokens: 1000, cachedInputTokens: 400, ...snapshot })).toBe(500);
    // 3 × 1.25 = 3.75 → 4.
    expect(cacheSavingsMicros({ inputTokens: 10, cachedInputTokens: 3, ...snapshot })).toBe(4);
  });

  it("caps cached tokens at input tokens", () => {
    expect(cacheSavingsMicros({ inputTokens: 100, cachedInputTokens: 400, ...snapshot })).toBe(125);
  });

  it("is 0 without a snapshot", () => {
    expect(cacheSavingsMicros({ inputTokens: 1000, cachedInputTokens: 400, inputPricePerMillion: null, cachedPricePerMillion: 1_250_000 })).toBe(0);
    expect(cacheSavingsMicros({ inputTokens: 1000, cachedInputTokens: 400, inputPricePerMillion: 2_500_000, cachedPricePerMillion: null })).toBe(0);
  });
});
