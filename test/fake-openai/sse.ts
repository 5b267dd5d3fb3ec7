import { once } from "node:events";
import type { ServerResponse } from "node:http";
import { cutConnection, sleep } from "./http";
import type { Script } from "./script";

export type SseWriter = {
  send(data: unknown, event?: string): void;
  sendMalformed(event?: string): void;
  end(): void;
  cut(): Promise<void>;
};

/** Starts a server-sent-events response whose events are flushed as soon as they are written. */
export function openSse(res: ServerResponse): SseWriter {
  res.socket?.setNoDelay(true);
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  res.flushHeaders();
  let flushed: Promise<void> = Promise.resolve();
  const write = (event: string | undefined, data: string): void => {
    if (res.destroyed || res.writableEnded) return;
    flushed = new Promise((resolve) => {
      res.write(`${event ? `event: ${event}\n` : ""}data: ${data}\n\n`, () => resolve());
    });
  };
  return {
    send: (data, event) => write(event, typeof data === "string" ? data : JSON.stringify(data)),
    sendMalformed: (event) => write(event, '{"this is not": json'),
    end: () => {
      if (!res.destroyed && !res.writableEnded) res.end();
    },
    cut: async () => {
      if (!res.destroyed) await Promise.race([flushed, once(res, "close")]);
      cutConnection(res);
    },
  };
}

/**
 * Sends text deltas one by one, applying the script's delay, cut and malformed markers.
 * Returns false when the script ended the stream early, so the caller must not finish it.
 */
export async function sendDeltas(
  deltas: readonly string[],
  script: Script,
  sse: SseWriter,
  signal: AbortSignal,
  sendDelta: (delta: string) => void,
  malformedEvent?: string,
): Promise<boolean> {
  if (script.endless) {
    // Only the client closing the connection ends this (sleep rejects then); the 1 ms floor keeps the loop async.
    for (let index = 0; ; index += 1) {
      await sleep(Math.max(1, script.delayMs), signal);
      sendDelta(deltas[index % deltas.length] ?? "");
    }
  }
  for (const [index, delta] of deltas.entries()) {
    if (script.cut === index) {
      await sse.cut();
      return false;
    }
    if (index > 0) await sleep(script.delayMs, signal);
    sendDelta(delta);
    if (script.malformed) break;
  }
  if (script.malformed) {
    sse.sendMalformed(malformedEvent);
    sse.end();
    return false;
  }
  if (script.cut !== undefined) {
    await sse.cut();
    return false;
  }
  return true;
}
