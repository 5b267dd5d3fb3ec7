import { describe, expect, it } from "vitest";
import { retryOnBusy } from "@/lib/db/busy-retry";
import { dbWaits } from "@/lib/db/create-client";
import { Env } from "@/lib/env";

describe("FORKLINE_DB_BUSY_TIMEOUT_MS", () => {
  it("is validated with lib/env (default 10 s, 200–60000 ms)", () => {
    expect(Env.parse({}).FORKLINE_DB_BUSY_TIMEOUT_MS).toBe(10_000);
    expect(Env.parse({ FORKLINE_DB_BUSY_TIMEOUT_MS: "1500" }).FORKLINE_DB_BUSY_TIMEOUT_MS).toBe(1_500);
    for (const bad of ["abc", "50", "600000", "1.5"]) expect(Env.safeParse({ FORKLINE_DB_BUSY_TIMEOUT_MS: bad }).success, bad).toBe(false);
  });

  it("splits the budget so one attempt waits at most half of it", () => {
    expect(dbWaits(10_000)).toMatchObject({ sqliteBusyTimeoutMs: 5_000, sqliteTransaction: { maxWait: 5_000 }, postgresLockTimeoutMs: 5_000 });
  });

  it("stops retrying a busy write once another attempt would not fit in the budget", async () => {
    const busy = Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    let attempts = 0;
    const started = Date.now();
    await expect(
      retryOnBusy(async () => {
        attempts += 1;
        await new Promise((resolve) => setTimeout(resolve, 300));
        throw busy;
      }, 1_000),
    ).rejects.toBe(busy);
    expect(attempts).toBeLessThanOrEqual(2);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
