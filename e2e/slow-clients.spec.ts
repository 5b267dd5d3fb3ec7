import net from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startServer, stopServer, type AppServer } from "./support/app-server";

// A client that sends its headers or body a byte at a time holds a connection and its buffers; 1,500 of them held
// 176 MB for up to 300 s. The production server (scripts/server.mjs) ends them at its configured deadlines.
const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;

let server: AppServer;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  server = await startServer({
    DATABASE_URL: `file:${path.resolve("test-results/e2e-data/slow-clients.db")}`,
    OPENAI_API_KEY: "",
    OPENAI_BASE_URL: "",
    FORKLINE_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    FORKLINE_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  });
});

test.afterAll(async () => stopServer(server));

/** Writes `head` and then goes silent; resolves with what the server answered once it closed the connection. */
function stallAfter(head: string): Promise<{ answer: string; heldMs: number }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let answer = "";
    const socket = net.connect(Number(port), "127.0.0.1", () => socket.write(head));
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve({ answer, heldMs: Date.now() - started }));
  });
}

test("a client that never finishes its headers is answered 408 and disconnected", async () => {
  const { answer, heldMs } = await stallAfter("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
  expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  // The deadline plus at most one of Node's checks (1 s here), not Node's 30 s check interval or 300 s default.
  expect(heldMs).toBeLessThan(HEADERS_TIMEOUT_MS + 5_000);
});

test("a client that never finishes its body is answered 408 and disconnected", async () => {
  const body = JSON.stringify({ title: "never arrives" });
  const head =
    `POST /api/conversations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`;
  const { answer, heldMs } = await stallAfter(head);
  expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  expect(heldMs).toBeLessThan(REQUEST_TIMEOUT_MS + 5_000);
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
});

test("a client that sends its request promptly is served", async () => {
  const created = await fetch(`${server.url}/api/conversations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title: "arrives" }),
  });
  expect(created.status).toBe(201);
});

test("a timeout that is not a positive number stops the server with a message", async () => {
  await expect(
    startServer({ DATABASE_URL: `file:${path.resolve("test-results/e2e-data/slow-bad.db")}`, FORKLINE_REQUEST_TIMEOUT_MS: "soon" }, 20_000),
  ).rejects.toThrow(/FORKLINE_REQUEST_TIMEOUT_MS: must be a whole number of milliseconds above 0/);
});
