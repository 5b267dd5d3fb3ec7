import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as wait } from "node:timers/promises";

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "invalid_request_error",
  409: "conflict_error",
  422: "invalid_request_error",
  429: "rate_limit_error",
};

/** Reads a request body and parses it as JSON (undefined when empty). */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  return raw.trim() === "" ? undefined : JSON.parse(raw);
}

/** Writes a complete JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** Writes an error in OpenAI's `{ error: { message, type, param, code } }` shape. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  options: { code?: string | null; headers?: Record<string, string> } = {},
): void {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? "server_error" : "invalid_request_error");
  sendJson(res, status, { error: { message, type, param: null, code: options.code ?? null } }, options.headers);
}

/** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms > 0) await wait(ms, undefined, { signal });
  else signal.throwIfAborted();
}

/** An AbortSignal that fires when the client goes away before the response is finished. */
export function disconnectSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort(new Error("client disconnected"));
  });
  return controller.signal;
}

/** Drops the connection without finishing the response, as a crashing upstream would. */
export function cutConnection(res: ServerResponse): void {
  res.socket?.destroy();
  res.destroy();
}
