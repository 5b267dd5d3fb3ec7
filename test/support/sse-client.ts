/** One parsed Server-Sent Event. */
export interface ParsedEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Reads a whole `text/event-stream` body into events (or up to `until`, then cancels). */
export async function readEvents(response: Response, until?: (event: ParsedEvent) => boolean): Promise<ParsedEvent[]> {
  const events: ParsedEvent[] = [];
  if (!response.body) return events;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let boundary: number;
    while ((boundary = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(block)?.[1];
      const parsed = { event, data: data ? (JSON.parse(data) as Record<string, unknown>) : {} };
      events.push(parsed);
      if (until?.(parsed)) {
        await reader.cancel();
        return events;
      }
    }
  }
  return events;
}
