import type { TurnEventName, TurnEvents } from "@/lib/api-types";

export interface SseMessage {
  event: string;
  data: string;
}

/** A parsed turn event, discriminated by `name`. */
export type TurnEvent = { [K in TurnEventName]: { name: K; data: TurnEvents[K] } }[TurnEventName];

const TURN_EVENT_NAMES: ReadonlySet<string> = new Set<TurnEventName>([
  "turn.started",
  "text.delta",
  "tool.called",
  "tool.output",
  "turn.completed",
  "turn.failed",
  "turn.stopped",
]);

/** Reads a `text/event-stream` body and yields one message per dispatched event (per the WHATWG rules). */
export async function* readSse(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let event = "";
  let data: string[] = [];
  let hasData = false;

  const takeLine = (): string | null => {
    const match = /\r\n|\r|\n/.exec(buffer);
    if (!match) return null;
    // A lone trailing \r may be the first half of \r\n: wait for more input.
    if (match[0] === "\r" && match.index === buffer.length - 1) return null;
    const line = buffer.slice(0, match.index);
    buffer = buffer.slice(match.index + match[0].length);
    return line;
  };

  try {
    while (true) {
      if (signal?.aborted) return;
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() + "\n" : decoder.decode(value, { stream: true });
      let line = takeLine();
      while (line !== null) {
        if (line === "") {
          if (hasData) yield { event: event || "message", data: data.join("\n") };
          event = "";
          data = [];
          hasData = false;
        } else if (!line.startsWith(":")) {
          const colon = line.indexOf(":");
          const field = colon === -1 ? line : line.slice(0, colon);
          let value = colon === -1 ? "" : line.slice(colon + 1);
          if (value.startsWith(" ")) value = value.slice(1);
          if (field === "event") event = value;
          else if (field === "data") {
            data.push(value);
            hasData = true;
          }
        }
        line = takeLine();
      }
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Turns a raw SSE message into a typed turn event; null for unknown names or malformed JSON. */
export function toTurnEvent(message: SseMessage): TurnEvent | null {
  if (!TURN_EVENT_NAMES.has(message.event)) return null;
  try {
    return { name: message.event, data: JSON.parse(message.data) } as TurnEvent;
  } catch {
    return null;
  }
}

/** The new title carried by a `conversation.updated` event (sent after the first exchange), if any. */
export function conversationTitle(message: SseMessage): string | null {
  if (message.event !== "conversation.updated") return null;
  try {
    const data: unknown = JSON.parse(message.data);
    const title = typeof data === "object" && data !== null ? (data as { title?: unknown }).title : undefined;
    return typeof title === "string" && title ? title : null;
  } catch {
    return null;
  }
}
