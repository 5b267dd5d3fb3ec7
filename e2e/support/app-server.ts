import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

/** A process of the built app (scripts/server.mjs). */
export interface AppServer {
  url: string;
  process: ChildProcess;
  output: string[];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Sends a signal to the server's whole process group (npm wraps the server, so killing npm alone would orphan it). */
export function signalServer(server: AppServer, signal: NodeJS.Signals): void {
  try {
    process.kill(-server.process.pid!, signal);
  } catch {
    // already gone
  }
}

/** Resolves when the server's process has exited. */
export async function serverExited(server: AppServer): Promise<void> {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return;
  await new Promise((resolve) => server.process.once("exit", resolve));
}

/** Stops a server: SIGTERM, then SIGKILL if it is still there after 5 s. */
export async function stopServer(server: AppServer | undefined): Promise<void> {
  if (!server) return;
  signalServer(server, "SIGTERM");
  await Promise.race([serverExited(server), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  signalServer(server, "SIGKILL");
}

/**
 * Starts the built app on a free port with `env` (over the test's environment) and waits until /api/health is ok.
 * `quickStart` runs it the way the README does (`npm start`, on every interface) instead of the built server on loopback.
 */
export async function startServer(env: Record<string, string>, timeoutMs = 90_000, options: { quickStart?: boolean } = {}): Promise<AppServer> {
  const port = await freePort();
  const output: string[] = [];
  const command = options.quickStart ? (["npm", ["start", "--", "-p", String(port)]] as const) : (["node", ["scripts/server.mjs", "-p", String(port), "-H", "127.0.0.1"]] as const);
  const child = spawn(command[0], [...command[1]], {
    detached: true,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const server: AppServer = { url: `http://127.0.0.1:${port}`, process: child, output };
  child.stdout?.on("data", (chunk) => output.push(String(chunk)));
  child.stderr?.on("data", (chunk) => output.push(String(chunk)));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output.join("")}`);
    try {
      if ((await fetch(`${server.url}/api/health`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  signalServer(server, "SIGKILL");
  throw new Error(`server did not become healthy:\n${output.join("")}`);
}
