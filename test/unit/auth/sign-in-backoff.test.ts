import { describe, expect, it } from "vitest";
import { lockoutDelayS, signInKey, tooManyAttempts } from "@/lib/auth/sign-in-backoff";

describe("sign-in backoff policy", () => {
  it("waits 30 s, doubling per lockout, capped at 15 min", () => {
    expect([0, 1, 2, 3, 4, 5, 50].map(lockoutDelayS)).toEqual([30, 60, 120, 240, 480, 900, 900]);
  });

  it("says when to retry in words and in Retry-After", () => {
    const short = tooManyAttempts(30);
    expect([short.statusCode, short.headers]).toEqual([429, { "Retry-After": "30" }]);
    expect(short.body).toMatchObject({ code: "TOO_MANY_ATTEMPTS", message: expect.stringContaining("30 seconds"), retryAfter: 30 });
    expect(tooManyAttempts(900).body?.message).toContain("15 minutes");
  });

  it("keys an account by a keyed hash of its e-mail, case-insensitively", () => {
    const secret = "s".repeat(32);
    expect(signInKey(secret, " Ada@Example.com")).toBe(signInKey(secret, "ada@example.com"));
    expect(signInKey(secret, "ada@example.com")).not.toContain("ada");
    expect(signInKey("t".repeat(32), "ada@example.com")).not.toBe(signInKey(secret, "ada@example.com"));
  });
});
