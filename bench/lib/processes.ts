import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { progress } from "./log";

const live = new Set<ChildProcess>();

// Last resort if the bench dies without running its cleanups: kill the groups it started (only those).
process.on("exit", () => {
  for (const child of live) killGroup(child, "SIGKILL");
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export interface Child {
  readonly process: ChildProcess;
  /** The last few kilobytes of its stdout and stderr. */
  output(): string;
  exited(): boolean;
  /** SIGTERM to its process group, SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with every chunk of output (e.g. to echo a build to stderr). */
  onOutput?: (text: string) => void;
}

/** Starts a command in its own process group, so stopping it also stops whatever it forked. */
export function spawnChild(label: string, command: string, args: string[], options: SpawnOptions): Child {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  let tail = "";
  const collect = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    tail = (tail + text).slice(-8_000);
    options.onOutput?.(text);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      live.delete(child);
      resolve();
    });
    child.once("error", (error) => {
      tail += `\n${label}: ${error.message}`;
      live.delete(child);
      resolve();
    });
  });
  return {
    process: child,
    output: () => tail,
    exited: () => !live.has(child),
    async stop(graceMs = 5_000) {
      if (!live.has(child)) return;
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => {
        progress(`${label} did not stop in ${graceMs} ms; killing it`);
        killGroup(child, "SIGKILL");
      }, graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Resolves with the child's exit code. */
export function exitCode(child: Child): Promise<number | null> {
  if (child.exited()) return Promise.resolve(child.process.exitCode);
  return new Promise((resolve) => child.process.once("exit", (code) => resolve(code)));
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Polls `url` until it answers 2xx; fails early if `child` exits, and after `timeoutMs`. */
export async function waitForUrl(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exited()) throw new Error(`process exited before ${url} answered:\n${child.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${child.output()}`);
}
