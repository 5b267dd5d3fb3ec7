import { describe, expect, it } from "vitest";
import { storageErrorOf } from "@/lib/http/storage-error";

const codeOf = (error: unknown) => storageErrorOf(error)?.code ?? null;

describe("storageErrorOf", () => {
  it("maps a full disk on either database to 503 storage_full with Retry-After", () => {
    expect(codeOf({ code: "SQLITE_FULL", message: "database or disk is full" })).toBe("storage_full");
    expect(codeOf({ code: "P2039", message: "x", meta: { driverAdapterError: { message: "database or disk is full", cause: { originalCode: "13" } } } })).toBe("storage_full");
    expect(codeOf({ code: "P2010", meta: { driverAdapterError: { cause: { originalCode: "53100", originalMessage: "could not extend file" } } } })).toBe("storage_full");
    const mapped = storageErrorOf({ code: "53100", message: "could not extend file: No space left on device" })!;
    expect(mapped.status).toBe(503);
    expect(mapped.headers["Retry-After"]).toMatch(/^\d+$/);
  });

  it("maps lock waits and Prisma timeouts to 503 database_busy", () => {
    expect(codeOf(new Error("SqliteError: database is locked"))).toBe("database_busy");
    expect(codeOf({ code: "SQLITE_BUSY", message: "busy" })).toBe("database_busy");
    expect(codeOf({ message: "x", cause: { code: "55P03", message: "canceling statement due to lock timeout" } })).toBe("database_busy");
    expect(codeOf({ code: "P1008", message: "Operations timed out" })).toBe("database_busy");
    expect(codeOf({ code: "P2034", message: "Transaction failed due to a write conflict or a deadlock" })).toBe("database_busy");
    expect(codeOf({ code: "P2028", message: "Transaction API error: Unable to start a transaction in the given time." })).toBe("database_busy");
    expect(storageErrorOf({ code: "P1008" })!.headers["Retry-After"]).toMatch(/^\d+$/);
  });

  it("leaves every other error alone", () => {
    expect(codeOf({ code: "P2002", message: "Unique constraint failed" })).toBeNull();
    expect(codeOf({ code: "P2028", message: "Transaction API error: Transaction not found." })).toBeNull();
    expect(codeOf(new Error("boom"))).toBeNull();
    expect(codeOf(null)).toBeNull();
  });
});
