import type { AgentInputItem } from "@openai/agents";

/** The queryable columns of an item, derived from its JSON. */
export interface ItemMeta {
  type: string;
  role: string | null;
  toolName: string | null;
  callId: string | null;
}

type Loose = Record<string, unknown>;

export function itemMeta(item: AgentInputItem): ItemMeta {
  const loose = item as unknown as Loose;
  const type = typeof loose.type === "string" ? loose.type : "message";
  const role = typeof loose.role === "string" ? loose.role : null;
  const toolName = typeof loose.name === "string" ? loose.name : null;
  const callId = typeof loose.callId === "string" ? loose.callId : null;
  return { type, role, toolName, callId };
}

export function isUserMessage(item: AgentInputItem): boolean {
  const meta = itemMeta(item);
  return meta.type === "message" && meta.role === "user";
}

/** True for items that answer a tool call (and so must never appear without it). */
export function isToolOutput(meta: Pick<ItemMeta, "type">): boolean {
  return meta.type.endsWith("_result") || meta.type.endsWith("_output");
}

/** True for items that call a tool and expect an answer. */
export function isToolCall(meta: Pick<ItemMeta, "type">): boolean {
  return meta.type.endsWith("_call") && meta.type !== "hosted_tool_call";
}

function partText(part: unknown): string {
  if (typeof part === "string") return part;
  if (part && typeof part === "object") {
    const loose = part as Loose;
    if (typeof loose.text === "string") return loose.text;
    if (typeof loose.refusal === "string") return loose.refusal;
    if (typeof loose.transcript === "string") return loose.transcript;
  }
  return "";
}

/** The human-readable text of a message, tool output or reasoning item ("" when it has none). */
export function itemText(item: AgentInputItem): string {
  const loose = item as unknown as Loose;
  if (typeof loose.content === "string") return loose.content;
  if (Array.isArray(loose.content)) return loose.content.map(partText).join("");
  if (loose.type === "function_call") return typeof loose.arguments === "string" ? loose.arguments : "";
  if ("output" in loose) {
    const output = loose.output;
    if (typeof output === "string") return output;
    if (Array.isArray(output)) return output.map(partText).join("");
    return partText(output);
  }
  if (Array.isArray(loose.rawContent)) return loose.rawContent.map(partText).join("");
  if (Array.isArray(loose.summary)) return loose.summary.map(partText).join("\n");
  return "";
}

/** A user message item for `text`. */
export function userMessage(text: string): AgentInputItem {
  return { type: "message", role: "user", content: text } as AgentInputItem;
}

/** An assistant message item for `text` (used to keep a stopped reply's partial text). */
export function assistantMessage(text: string): AgentInputItem {
  return {
    type: "message",
    role: "assistant",
    status: "incomplete",
    content: [{ type: "output_text", text }],
  } as AgentInputItem;
}
