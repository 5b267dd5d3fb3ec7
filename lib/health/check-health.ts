import "server-only";
import fs from "node:fs";
import path from "node:path";
import { isDemoMode } from "@/lib/agent/model-catalog";
import { providerStatus, type ProviderStatus } from "@/lib/agent/provider-health";
import { getDb, getDbHandle } from "@/lib/db";
import { pingDatabase } from "@/lib/db/conversation-queries";
import { resolveDatabaseTarget } from "@/lib/db/database-url";
import { env } from "@/lib/env";

/** A database that takes longer than this to answer `SELECT 1` makes the instance "degraded"… */
const SLOW_DATABASE_MS = 1_000;
/** …and one that has not answered after this is "down": the check never hangs behind a held lock. */
const DATABASE_DEADLINE_MS = 5_000;
/** Less free space than this beside the SQLite file makes the instance "degraded"; none at all, "down". */
const LOW_DISK_BYTES = 256 * 1024 * 1024;

/** What `GET /api/health` reports: safe for anonymous callers (no error text, no host names). */
export interface HealthReport {
  /** ok: all well · degraded: serving, but the database is slow or the model provider is failing · down: cannot serve. */
  status: "ok" | "degraded" | "down";
  database: { status: "ok" | "slow" | "down"; provider: string };
  /** Free space beside the SQLite file (PostgreSQL's disk is the database server's business). */
  storage?: { status: "ok" | "low" | "full" };
  model: { mode: "demo" | "openai" | "compatible"; api?: string; status: ProviderStatus };
}

async function checkDatabase(): Promise<HealthReport["database"]> {
  const provider = getDbHandle().provider;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_DEADLINE_MS} ms`)), DATABASE_DEADLINE_MS);
  });
  try {
    await Promise.race([pingDatabase(getDb()), deadline]);
  } catch (error) {
    // The cause goes to the operator's log only: it can name hosts, users and file paths.
    console.error("health: the database did not answer:", error);
    return { status: "down", provider };
  } finally {
    clearTimeout(timer);
  }
  return { status: performance.now() - started > SLOW_DATABASE_MS ? "slow" : "ok", provider };
}

async function checkStorage(): Promise<HealthReport["storage"]> {
  const filePath = resolveDatabaseTarget(env().DATABASE_URL).filePath;
  if (!filePath) return undefined;
  try {
    const stats = await fs.promises.statfs(path.dirname(filePath));
    const free = stats.bavail * stats.bsize;
    return { status: free === 0 ? "full" : free < LOW_DISK_BYTES ? "low" : "ok" };
  } catch (error) {
    console.error("health: could not read free disk space:", error);
    return undefined;
  }
}

function checkModel(): HealthReport["model"] {
  if (isDemoMode()) return { mode: "demo", status: "ok" };
  const settings = env();
  return { mode: settings.OPENAI_BASE_URL ? "compatible" : "openai", api: settings.OPENAI_API_MODE, status: providerStatus() };
}

/** Checks the database, the disk under SQLite and what the model provider last did; every check is bounded. */
export async function checkHealth(): Promise<HealthReport> {
  const [database, storage] = await Promise.all([checkDatabase(), checkStorage()]);
  const model = checkModel();
  const down = database.status === "down" || storage?.status === "full";
  const degraded = database.status === "slow" || storage?.status === "low" || model.status === "failing";
  return { status: down ? "down" : degraded ? "degraded" : "ok", database, ...(storage ? { storage } : {}), model };
}
