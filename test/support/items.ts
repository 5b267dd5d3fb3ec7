import type { AgentInputItem } from "@openai/agents";

export const user = (text: string) => ({ type: "message", role: "user", content: text }) as AgentInputItem;

export const assistant = (text: string) =>
  ({ type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text }] }) as AgentInputItem;

export const toolCall = (name: string, callId: string, args = "{}") =>
  ({ type: "function_call", name, callId, arguments: args, status: "completed" }) as AgentInputItem;

export const toolResult = (name: string, callId: string, text: string) =>
  ({ type: "function_call_result", name, callId, status: "completed", output: { type: "text", text } }) as AgentInputItem;

/** The text of each item, for compact assertions on order and content. */
export function texts(items: AgentInputItem[]): string[] {
  return items.map((item) => {
    const loose = item as unknown as Record<string, unknown>;
    if (typeof loose.content === "string") return loose.content;
    if (Array.isArray(loose.content)) return (loose.content as { text: string }[]).map((part) => part.text).join("");
    if (loose.type === "function_call") return `call:${String(loose.name)}`;
    if (loose.type === "function_call_result") return `result:${(loose.output as { text: string }).text}`;
    return String(loose.type);
  });
}
