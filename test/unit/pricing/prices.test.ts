import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { priceFor } from "@/lib/pricing/prices";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "forkline-prices-"));
let files = 0;

// A new path per file: the table is cached by the FORKLINE_PRICES_FILE value.
function useOverride(content: unknown): string {
  const file = path.join(dir, `prices-${++files}.json`);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  vi.stubEnv("FORKLINE_PRICES_FILE", file);
  return file;
}

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

afterEach(() => vi.unstubAllEnvs());

describe("priceFor on the built-in table", () => {
  it("changes price on its from day, in UTC", () => {
    vi.stubEnv("FORKLINE_PRICES_FILE", "");
    expect(priceFor("gpt-4o", new Date("2024-09-30T23:59:59.999Z"))).toEqual({
      inputPerMillion: 5_000_000,
      cachedPerMillion: 5_000_000,
      outputPerMillion: 15_000_000,
      from: "2024-05-13",
    });
    expect(priceFor("gpt-4o", new Date("2024-10-01T00:00:00.000Z"))).toEqual({
      inputPerMillion: 2_500_000,
      cachedPerMillion: 1_250_000,
      outputPerMillion: 10_000_000,
      from: "2024-10-01",
    });
    // 2024-10-01 01:00 in Paris is still 2024-09-30 in UTC.
    expect(priceFor("gpt-4o", new Date("2024-10-01T01:00:00+02:00"))?.from).toBe("2024-05-13");
  });

  it("is unknown before the first entry, never the earliest price", () => {
    vi.stubEnv("FORKLINE_PRICES_FILE", "");
    expect(priceFor("gpt-4o", new Date("2024-05-12T23:59:59Z"))).toBeNull();
    expect(priceFor("gpt-4o", new Date("2024-05-13T00:00:00Z"))?.inputPerMillion).toBe(5_000_000);
  });

  it("matches a dated snapshot to its undated list, and an exact entry first", () => {
    vi.stubEnv("FORKLINE_PRICES_FILE", "");
    const at = new Date("2025-01-15T12:00:00Z");
    expect(priceFor("gpt-4o-2024-11-20", at)).toEqual(priceFor("gpt-4o", at));
    expect(priceFor("gpt-4o-2024-11-20", at)?.inputPerMillion).toBe(2_500_000);
    expect(priceFor("gpt-4o-2024-05-13", at)?.inputPerMillion).toBe(5_000_000);
    expect(priceFor("mystery-model-9000", at)).toBeNull();
    expect(priceFor(null, at)).toBeNull();
  });
});

describe("the FORKLINE_PRICES_FILE override", () => {
  it("replaces a model's whole list and keeps the other models", () => {
    useOverride({ models: { "gpt-4o": [{ from: "2025-03-01", input: 3, cachedInput: 1, output: 12 }] } });
    expect(priceFor("gpt-4o", new Date("2024-12-01T00:00:00Z"))).toBeNull();
    expect(priceFor("gpt-4o", new Date("2025-03-01T00:00:00Z"))).toEqual({
      inputPerMillion: 3_000_000,
      cachedPerMillion: 1_000_000,
      outputPerMillion: 12_000_000,
      from: "2025-03-01",
    });
    expect(priceFor("gpt-4.1", new Date("2025-06-01T00:00:00Z"))?.outputPerMillion).toBe(8_000_000);
  });

  it("sorts a list written out of order", () => {
    useOverride({ models: { m: [{ from: "2025-02-01", input: 2, output: 2 }, { from: "2025-01-01", input: 1, output: 1 }] } });
    expect(priceFor("m", new Date("2025-01-20T00:00:00Z"))?.inputPerMillion).toBe(1_000_000);
    expect(priceFor("m", new Date("2025-02-20T00:00:00Z"))?.inputPerMillion).toBe(2_000_000);
  });

  it("accepts the old single-object form, effective read as from and missing as 1970-01-01", () => {
    useOverride({ models: { old: { input: 2, cachedInput: 0.5, output: 8, effective: "2026-01-01" }, undated: { input: 0.1, output: 0.4 } } });
    expect(priceFor("old", new Date("2025-12-31T12:00:00Z"))).toBeNull();
    expect(priceFor("old", new Date("2026-01-01T00:00:00Z"))).toEqual({
      inputPerMillion: 2_000_000,
      cachedPerMillion: 500_000,
      outputPerMillion: 8_000_000,
      from: "2026-01-01",
    });
    expect(priceFor("undated", new Date("1970-01-01T00:00:00Z"))).toEqual({
      inputPerMillion: 100_000,
      cachedPerMillion: 100_000,
      outputPerMillion: 400_000,
      from: "1970-01-01",
    });
  });

  it.each([
    ["a from that is not a date", { models: { m: [{ from: "2025-13-01", input: 1, output: 1 }] } }, "models.m[0].from"],
    ["a duplicate from date", { models: { m: [{ from: "2025-01-01", input: 1, output: 1 }, { from: "2025-01-01", input: 2, output: 2 }] } }, "models.m[1].from"],
    ["a negative price in a list", { models: { m: [{ from: "2025-01-01", input: -1, output: 1 }] } }, "models.m[0].input"],
    ["a misspelt key in a list", { models: { m: [{ from: "2025-01-01", input: 1, cachedinput: 1, output: 1 }] } }, "models.m[0]"],
    ["a string price in the old form", { models: { m: { input: "1", output: 1 } } }, "models.m.input"],
    ["a from in the old form", { models: { m: { from: "2025-01-01", input: 1, output: 1 } } }, "models.m.from"],
    ["an empty list", { models: { m: [] } }, "models.m"],
  ])("rejects %s, naming the file and the field", (_, content, field) => {
    const file = useOverride(content);
    const lines = errorOf(() => priceFor("m")).split("\n");
    expect(lines[0]).toBe(`Invalid price file ${file} (FORKLINE_PRICES_FILE):`);
    expect(lines).toContain(`  → at ${field}`);
  });

  it("rejects a file that is not JSON, naming it", () => {
    const file = useOverride("{ models: ");
    expect(() => priceFor("m")).toThrow(`Cannot read price file ${file}`);
  });
});
