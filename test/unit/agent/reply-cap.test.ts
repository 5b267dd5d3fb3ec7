import { describe, expect, it } from "vitest";
import { maxOutputTokens, ReplyCap } from "@/lib/agent/reply-cap";

describe("ReplyCap", () => {
  it("passes deltas until the cap, then cuts the one that crosses it and drops the rest", () => {
    const cap = new ReplyCap(10);
    expect([cap.take("hello "), cap.capped]).toEqual(["hello ", false]);
    expect([cap.take("wonderful"), cap.capped]).toEqual(["wond", true]);
    expect(cap.take("more")).toBe("");
    expect(cap.error()).toEqual({ code: "reply_capped", message: "The reply was cut at 10 characters (FORKLINE_MAX_REPLY_CHARS)." });
    expect(new ReplyCap(100_000).error().message).toBe("The reply was cut at 100,000 characters (FORKLINE_MAX_REPLY_CHARS).");
  });

  it("is not capped by a reply of exactly the limit, only by text past it", () => {
    const cap = new ReplyCap(5);
    expect([cap.take("12345"), cap.capped]).toEqual(["12345", false]);
    expect([cap.take("6"), cap.capped]).toEqual(["", true]);
  });

  it("never keeps half of a surrogate pair", () => {
    const cap = new ReplyCap(3);
    expect(cap.take("ab😀c")).toBe("ab");
    expect(cap.capped).toBe(true);
  });
});

describe("maxOutputTokens", () => {
  const settings = { FORKLINE_MAX_REPLY_CHARS: 100_000 };

  it("uses the turn's own setting when it has one", () => {
    expect(maxOutputTokens(321, { ...settings, FORKLINE_MAX_OUTPUT_TOKENS: 1000 })).toBe(321);
  });

  it("else FORKLINE_MAX_OUTPUT_TOKENS, else a quarter of the reply cap, at most 16,384", () => {
    expect(maxOutputTokens(null, { ...settings, FORKLINE_MAX_OUTPUT_TOKENS: 1000 })).toBe(1000);
    expect(maxOutputTokens(null, settings)).toBe(16_384);
    expect(maxOutputTokens(null, { FORKLINE_MAX_REPLY_CHARS: 20_001 })).toBe(5_001);
  });

  it("sends none when FORKLINE_MAX_OUTPUT_TOKENS is 0 (providers that refuse the field), unless the turn sets one", () => {
    expect(maxOutputTokens(null, { ...settings, FORKLINE_MAX_OUTPUT_TOKENS: 0 })).toBeUndefined();
    expect(maxOutputTokens(500, { ...settings, FORKLINE_MAX_OUTPUT_TOKENS: 0 })).toBe(500);
  });
});
