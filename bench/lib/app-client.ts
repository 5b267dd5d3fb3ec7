/** Milliseconds from sending the request to its response headers, the turn's start, first text delta and completion. */
export interface StreamTiming {
  headersMs: number;
  /** `turn.started` (the user message is stored); for a direct model call, the same as `headersMs`. */
  startedMs: number;
  firstDeltaMs: number;
  completedMs: number;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** Names and data of the complete events in a chunk of `text/event-stream`, plus the unparsed rest. */
function takeEvents(buffer: string): { events: { name: string; data: string }[]; rest: string } {
  const events: { name: string; data: string }[] = [];
  let rest = buffer;
  for (let boundary = rest.indexOf("\n\n"); boundary >= 0; boundary = rest.indexOf("\n\n")) {
    const block = rest.slice(0, boundary);
    rest = rest.slice(boundary + 2);
    events.push({ name: /^event: ?(.*)$/m.exec(block)?.[1] ?? "message", data: /^data: ?(.*)$/m.exec(block)?.[1] ?? "" });
  }
  return { events, rest };
}

function isClosedSocket(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code === "UND_ERR_SOCKET" || cause?.code === "ECONNRESET";
}

/** The app's HTTP API as one user: keeps the session cookie the server hands out (e.g. a guest's). */
export class AppClient {
  readonly #cookies = new Map<string, string>();

  /** `cookies`: a session to act in, e.g. the one a browser was given. */
  constructor(
    readonly baseUrl: string,
    cookies: readonly { name: string; value: string }[] = [],
  ) {
    for (const { name, value } of cookies) this.#cookies.set(name, value);
  }

  /** fetch on the app with the stored cookies, storing the ones the response sets. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size > 0) headers.set("cookie", [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    const send = () => fetch(`${this.baseUrl}${path}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...init, headers });
    let response: Response;
    try {
      response = await send();
    } catch (error) {
      // A kept-alive socket the server closed while we were busy elsewhere (e.g. seeding): safe to resend a GET once.
      if ((init.method ?? "GET") !== "GET" || !isClosedSocket(error)) throw error;
      response = await send();
    }
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const equals = pair.indexOf("=");
      if (equals > 0) this.#cookies.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim());
    }
    return response;
  }

  /** Milliseconds for a GET to answer in full; rejects unless it answers 2xx. */
  async timeGet(path: string): Promise<number> {
    const start = performance.now();
    const response = await this.request(path);
    const body = await response.text();
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 200)}`);
    return performance.now() - start;
  }

  /** Creates an empty conversation and returns its id. */
  async createConversation(): Promise<string> {
    const response = await this.request("/api/conversations", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    if (response.status !== 201) throw new Error(`POST /api/conversations answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { conversation: { id: string } }).conversation.id;
  }

  /** `count` new conversations; the first alone, so a server that hands out a session cookie hands out one. */
  async createConversations(count: number): Promise<string[]> {
    const first = await this.createConversation();
    return [first, ...(await Promise.all(Array.from({ length: count - 1 }, () => this.createConversation())))];
  }

  /** POSTs a turn and reads its events to the end, timed from the send; rejects unless it ends in `turn.completed`. */
  async streamTurn(conversationId: string, message: string): Promise<StreamTiming> {
    const start = performance.now();
    const response = await this.request(`/api/conversations/${conversationId}/turns`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ message }),
    });
    const headersMs = performance.now() - start;
    if (!response.ok || !response.body) throw new Error(`POST /turns answered ${response.status}: ${await response.text()}`);
    let startedMs: number | undefined;
    let firstDeltaMs: number | undefined;
    let completedMs: number | undefined;
    let buffer = "";
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      buffer += decoder.decode(read.value, { stream: true });
      const { events, rest } = takeEvents(buffer);
      buffer = rest;
      for (const event of events) {
        if (event.name === "turn.started") startedMs = performance.now() - start;
        else if (event.name === "text.delta") firstDeltaMs ??= performance.now() - start;
        else if (event.name === "turn.completed") completedMs = performance.now() - start;
        else if (event.name === "turn.failed" || event.name === "turn.stopped") throw new Error(`${event.name}: ${event.data}`);
      }
    }
    if (startedMs === undefined || firstDeltaMs === undefined || completedMs === undefined) {
      throw new Error("the stream ended without turn.started, text.delta and turn.completed");
    }
    return { headersMs, startedMs, firstDeltaMs, completedMs };
  }
}
