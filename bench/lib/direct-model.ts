import OpenAI from "openai";
import type { StreamTiming } from "./app-client";

/** An `openai` client for the model server, configured like the app's (no retries). */
export function directClient(baseURL: string): OpenAI {
  return new OpenAI({ apiKey: "x", baseURL, maxRetries: 0, timeout: 30_000, logLevel: "off" });
}

/** One streamed Responses call straight to the model server, timed like a turn (first text delta, completion). */
export async function streamDirect(client: OpenAI, message: string): Promise<StreamTiming> {
  const start = performance.now();
  const stream = await client.responses.create({ model: "test-model", input: [{ role: "user", content: message }], stream: true });
  const headersMs = performance.now() - start;
  let firstDeltaMs: number | undefined;
  let completedMs: number | undefined;
  for await (const event of stream) {
    if (event.type === "response.output_text.delta") firstDeltaMs ??= performance.now() - start;
    else if (event.type === "response.completed") completedMs = performance.now() - start;
    else if (event.type === "response.failed" || event.type === "error") throw new Error(`model stream: ${event.type}`);
  }
  if (firstDeltaMs === undefined || completedMs === undefined) throw new Error("the model stream ended without a text delta and response.completed");
  return { headersMs, startedMs: headersMs, firstDeltaMs, completedMs };
}
