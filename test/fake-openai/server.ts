import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { handleChatCompletions } from "./chat-completions";
import { handleCompact } from "./compaction";
import { isRecord } from "./content";
import type { Exchange } from "./exchange";
import { disconnectSignal, readJsonBody, sendError, sendJson } from "./http";
import { handleResponses } from "./responses";

export type RecordedRequest = {
  path: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests dig into arbitrary request bodies
  body: any;
  headers: Record<string, string | string[] | undefined>;
  /** Set once the connection closed before the answer was finished: the client aborted (or a `[[cut]]` dropped it). */
  disconnected?: boolean;
};

export type FakeOpenAI = {
  url: string;
  port: number;
  requests: RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
};

type Handler = (exchange: Exchange) => Promise<void>;

type State = { requests: RecordedRequest[]; failedOnce: Set<string> };

const MODEL_IDS = ["gpt-4.1-mini", "gpt-4.1", "gpt-4o-mini", "gpt-5-mini", "fake-model"];

const GENERATORS: Record<string, Handler> = {
  "/responses": handleResponses,
  "/responses/compact": handleCompact,
  "/chat/completions": handleChatCompletions,
};

function modelList(): unknown {
  return {
    object: "list",
    data: MODEL_IDS.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "fake-openai" })),
  };
}

async function generate(req: IncomingMessage, res: ServerResponse, path: string, handler: Handler, state: State): Promise<void> {
  let body: unknown;
  try {
    body = await readJsonBody(req);
  } catch {
    sendError(res, 400, "We could not parse the JSON body of your request.");
    return;
  }
  const recorded: RecordedRequest = { path, body, headers: req.headers };
  state.requests.push(recorded);
  if (!isRecord(body)) {
    sendError(res, 400, "The request body must be a JSON object.");
    return;
  }
  const signal = disconnectSignal(res);
  signal.addEventListener("abort", () => (recorded.disconnected = true), { once: true });
  try {
    await handler({ res, body, signal, failedOnce: state.failedOnce });
  } catch (error) {
    if (signal.aborted) return;
    if (!res.headersSent) sendError(res, 500, `Fake server error: ${String(error)}`);
    else res.destroy();
  }
}

async function route(req: IncomingMessage, res: ServerResponse, state: State): Promise<void> {
  const method = req.method ?? "GET";
  const path = new URL(req.url ?? "/", "http://fake").pathname;
  const apiPath = path.startsWith("/v1/") ? path.slice(3) : path;
  const handler = GENERATORS[apiPath];
  if (method === "POST" && handler) return generate(req, res, path, handler, state);
  if (method === "GET" && apiPath === "/models") return sendJson(res, 200, modelList());
  if (method === "GET" && path === "/__requests") return sendJson(res, 200, state.requests);
  if (method === "POST" && path === "/__reset") {
    resetState(state);
    return sendJson(res, 200, { ok: true });
  }
  req.resume();
  sendError(res, 404, `Invalid URL (${method} ${path})`, { code: "unknown_url" });
}

function resetState(state: State): void {
  state.requests.length = 0;
  state.failedOnce.clear();
}

/** Starts the fake OpenAI-compatible server (Responses, its compact endpoint, Chat Completions, models) on a free or given port. */
export async function startFakeOpenAI(opts: { port?: number; host?: string } = {}): Promise<FakeOpenAI> {
  const host = opts.host ?? "127.0.0.1";
  const state: State = { requests: [], failedOnce: new Set() };
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (req, res) => {
    route(req, res, state).catch(() => res.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}/v1`,
    port,
    requests: state.requests,
    reset: () => resetState(state),
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
