/** Formats one Server-Sent Event. */
export function formatEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export interface EventStream {
  response: Response;
  send(event: string, data: unknown): void;
  close(): void;
  /** Aborts when the client disconnects. */
  signal: AbortSignal;
}

/** A streaming `text/event-stream` response whose events are flushed as they are sent. */
export function createEventStream(requestSignal?: AbortSignal): EventStream {
  const encoder = new TextEncoder();
  const disconnect = new AbortController();
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      closed = true;
      disconnect.abort();
    },
  });
  requestSignal?.addEventListener("abort", () => disconnect.abort(), { once: true });
  const response = new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
  return {
    response,
    signal: disconnect.signal,
    send(event, data) {
      if (closed || !controller) return;
      try {
        controller.enqueue(encoder.encode(formatEvent(event, data)));
      } catch {
        closed = true;
      }
    },
    close() {
      if (closed || !controller) return;
      closed = true;
      try {
        controller.close();
      } catch {
        // already closed by the client
      }
    },
  };
}
