import "server-only";
import fs from "node:fs";
import os from "node:os";
import { configuredCipher } from "@/lib/crypto/content-cipher";
import { getDb, getDbHandle } from "@/lib/db";
import { inProgressRunnerIds, interruptStaleTurns } from "@/lib/db/conversation-queries";
import { resolveDatabaseTarget } from "@/lib/db/database-url";
import { applyMigrations } from "@/lib/db/migrate";
import { sqliteFileWarnings } from "@/lib/db/sqlite-file";
import { env, EnvError } from "@/lib/env";
import { startIdleGuestSweeper, startRetentionSweeper } from "@/lib/retention/sweep";

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed process that its parent has not reaped yet (a zombie) still answers kill(pid, 0) but never runs again:
  // after `kill -9` of a server whose parent died with it, that can last until init gets round to it.
  try {
    const stat = fs.readFileSync(/*turbopackIgnore: true*/ `/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).charAt(0);
    return state !== "Z" && state !== "X";
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ENOENT"; // no /proc (not Linux): trust kill(pid, 0)
  }
}

/** Runner ids on this host whose process is gone: their turns can never finish. */
async function deadLocalRunners(): Promise<string[]> {
  const host = os.hostname();
  return (await inProgressRunnerIds(getDb())).filter((runnerId) => {
    const [runnerHost, pid] = runnerId.split(":");
    return runnerHost === host && Number(pid) !== process.pid && !processIsAlive(Number(pid));
  });
}

function fail(message: string): never {
  console.error(`\nForkline cannot start:\n${message}\n`);
  process.exit(1);
}

/** Validates the configuration, brings the schema up to date and recovers turns a crash left running. */
export async function startServer(): Promise<void> {
  let settings;
  try {
    settings = env();
  } catch (error) {
    fail(error instanceof EnvError ? error.message : String(error));
  }
  try {
    const result = await applyMigrations(settings.DATABASE_URL);
    if (result.applied.length > 0) console.log(`forkline: applied ${result.applied.length} migration(s) on ${result.provider}`);
  } catch (error) {
    fail(`could not prepare the database (${getDbHandle().provider}): ${(error as Error).message}\nCheck DATABASE_URL and that the database server is reachable.`);
  }
  const target = resolveDatabaseTarget(settings.DATABASE_URL);
  if (target.filePath) for (const warning of sqliteFileWarnings(target.filePath)) console.warn(`forkline: warning: ${warning}`);
  if (!settings.FORKLINE_AUTH_SECRET) {
    console.log("forkline: FORKLINE_AUTH_SECRET is not set; session cookies are signed with a secret generated once and kept in the database (docs/configuration.md)");
  }
  const cipher = configuredCipher();
  if (cipher.writeKeyId) console.log(`forkline: message content is encrypted at rest (key ${cipher.writeKeyId})`);
  else if (cipher.readKeyIds.length > 0) console.log("forkline: encryption is off for new content; old keys still read encrypted rows");
  const staleMs = settings.FORKLINE_STALE_TURN_MS;
  const interrupted = await interruptStaleTurns({ db: getDb(), heartbeatBefore: new Date(Date.now() - staleMs), runnerIds: await deadLocalRunners() });
  if (interrupted > 0) console.log(`forkline: marked ${interrupted} unfinished turn(s) as interrupted`);
  const sweeper = setInterval(() => {
    interruptStaleTurns({ db: getDb(), heartbeatBefore: new Date(Date.now() - staleMs) }).catch((error) => console.error("turn sweeper", error));
  }, Math.max(1_000, Math.floor(staleMs / 3)));
  sweeper.unref();
  startIdleGuestSweeper({ db: getDb });
  if (settings.FORKLINE_RETENTION_DAYS !== undefined) {
    console.log(`forkline: conversations not updated for ${settings.FORKLINE_RETENTION_DAYS} day(s) are deleted (FORKLINE_RETENTION_DAYS)`);
    startRetentionSweeper({ db: getDb, days: settings.FORKLINE_RETENTION_DAYS });
  }
}
