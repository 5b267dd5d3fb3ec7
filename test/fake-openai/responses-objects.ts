import type { PlannedToolCall, PlannedUsage } from "./plan";

type Item = Record<string, unknown>;

/** An `output_text` content part. */
export function outputText(text: string): Item {
  return { type: "output_text", text, annotations: [], logprobs: [] };
}

/** An assistant message output item. */
export function messageItem(id: string, status: "in_progress" | "completed", content: Item[]): Item {
  return { id, type: "message", role: "assistant", status, content };
}

/** A function call output item. */
export function functionCallItem(
  id: string,
  call: PlannedToolCall,
  args: string,
  status: "in_progress" | "completed",
): Item {
  return { id, type: "function_call", call_id: call.callId, name: call.name, arguments: args, status };
}

/** A reasoning output item with one summary part. */
export function reasoningItem(id: string, summary: string | undefined): Item {
  return { id, type: "reasoning", summary: summary === undefined ? [] : [{ type: "summary_text", text: summary }] };
}

/** A compaction item, as `responses.compact` and server-side context management return it. */
export function compactionItem(id: string, encryptedContent: string): Item {
  return { id, type: "compaction", encrypted_content: encryptedContent };
}

/** The Responses API `usage` object, or null when the script asks for none. */
export function responsesUsage(usage: PlannedUsage | null): Item | null {
  if (!usage) return null;
  return {
    input_tokens: usage.input,
    input_tokens_details: { cached_tokens: usage.cached },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: usage.reasoning },
    total_tokens: usage.total,
  };
}

export type ResponseHeader = { id: string; createdAt: number; request: Record<string, unknown> };

/** A full `response` object, echoing the request's settings the way the real API does. */
export function responseObject(
  header: ResponseHeader,
  status: "in_progress" | "completed",
  output: Item[],
  usage: Item | null,
): Item {
  const { request } = header;
  return {
    id: header.id,
    object: "response",
    created_at: header.createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    metadata: request.metadata ?? {},
    model: typeof request.model === "string" ? request.model : "fake-model",
    output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: request.text ?? { format: { type: "text" } },
    tool_choice: request.tool_choice ?? "auto",
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: request.truncation ?? "disabled",
    usage,
    user: null,
  };
}
