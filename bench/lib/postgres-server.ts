import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { progress } from "./log";
import type { Resources } from "./resources";

/** A PostgreSQL server the bench may create databases on. */
export interface PostgresServer {
  /** A connection URL for a database on it that the bench may connect to in order to create others. */
  url: string;
  /** Where it came from, for the report. */
  origin: string;
}

const INSTALL_DIR = "/usr/lib/postgresql";
const STARTUP_MS = 60_000;
const STOP_MS = 15_000;

/** Whether PostgreSQL server binaries are installed where scripts/with-postgres.sh looks for them. */
function hasServerBinaries(): boolean {
  if (!fs.existsSync(INSTALL_DIR)) return false;
  return fs.readdirSync(INSTALL_DIR).some((version) => fs.existsSync(path.join(INSTALL_DIR, version, "bin", "initdb")));
}

// Keeps the script's command running, printing the URL it was given, until the stop file appears or the bench is gone.
const HOLD = `echo "BENCH_DATABASE_URL=$DATABASE_URL"; while [ ! -e "$1" ] && kill -0 "$2" 2>/dev/null; do sleep 0.2; done`;

/**
 * The server of a `postgres://` DATABASE_URL when one is set (e.g. under `scripts/with-postgres.sh npm run bench`), else a
 * throwaway cluster started with `scripts/with-postgres.sh` and removed with `resources`; null when no PostgreSQL is installed.
 */
export async function startPostgres(resources: Resources, dir: string): Promise<PostgresServer | null> {
  const given = process.env.DATABASE_URL;
  if (given && /^postgres(ql)?:\/\//.test(given)) return { url: given, origin: "DATABASE_URL" };
  if (!hasServerBinaries()) return null;

  const stopFile = path.join(dir, "stop-postgres");
  // Not through spawnChild: its last-resort SIGKILL on exit would kill the script before its cleanup, leaving the cluster
  // running; the hold loop instead ends when the bench is gone, and the script removes the cluster.
  const child = spawn("bash", ["scripts/with-postgres.sh", "bash", "-c", HOLD, "hold", stopFile, String(process.pid)], {
    env: { ...process.env, DATABASE_URL: "" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-8_000);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", (error) => {
      output += `\n${error.message}`;
      resolve();
    });
  });
  let done = false;
  void exited.then(() => {
    done = true;
  });
  resources.defer("throwaway PostgreSQL", async () => {
    fs.writeFileSync(stopFile, "");
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_MS))]);
    if (!stopped) progress(`scripts/with-postgres.sh did not stop within ${STOP_MS} ms; its cluster may be left in /tmp/forkline-pg.*`);
  });
  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    const url = /BENCH_DATABASE_URL=(\S+)\n/.exec(output)?.[1];
    if (url) {
      const version = /PostgreSQL (\S+) on/.exec(output)?.[1];
      progress(`PostgreSQL ${version ?? ""} up (scripts/with-postgres.sh)`);
      return { url, origin: `a throwaway cluster from \`scripts/with-postgres.sh\`${version ? ` (PostgreSQL ${version})` : ""}` };
    }
    if (done) throw new Error(`scripts/with-postgres.sh exited before PostgreSQL was up:\n${output}`);
    if (Date.now() > deadline) throw new Error(`PostgreSQL did not start within ${STARTUP_MS} ms:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
