import type { MessageView, TurnStatus, TurnView } from "@/lib/api-types";
import type { LiveTurn } from "@/lib/client/live-turn";

/** One block of an assistant reply, in the order it happened. */
export type AssistantPart =
  | { kind: "text"; text: string }
  | { kind: "reasoning"; text: string }
  | { kind: "tool"; callId: string; toolName: string; arguments: string; output: string | null };

export function userText(messages: readonly MessageView[]): string {
  return messages
    .filter((message) => message.kind === "user")
    .map((message) => message.text)
    .join("\n\n");
}

/** Assistant text, reasoning and tool calls (each paired with its output) of a stored turn. */
export function assistantParts(messages: readonly MessageView[]): AssistantPart[] {
  const parts: AssistantPart[] = [];
  const toolIndex = new Map<string, number>();
  for (const message of messages) {
    switch (message.kind) {
      case "assistant":
        parts.push({ kind: "text", text: message.text });
        break;
      case "reasoning":
        if (message.text) parts.push({ kind: "reasoning", text: message.text });
        break;
      case "tool_call":
        if (message.callId) toolIndex.set(message.callId, parts.length);
        parts.push({ kind: "tool", callId: message.callId ?? "", toolName: message.toolName ?? "tool", arguments: message.text, output: null });
        break;
      case "tool_output": {
        const index = message.callId ? toolIndex.get(message.callId) : undefined;
        const part = index === undefined ? undefined : parts[index];
        if (part && part.kind === "tool") part.output = message.text;
        else parts.push({ kind: "tool", callId: message.callId ?? "", toolName: message.toolName ?? "tool", arguments: "", output: message.text });
        break;
      }
      case "user":
        break;
    }
  }
  return parts;
}

export function liveAssistantParts(turn: LiveTurn): AssistantPart[] {
  return turn.parts.map((part) =>
    part.kind === "text"
      ? { kind: "text", text: part.text }
      : { kind: "tool", callId: part.tool.callId, toolName: part.tool.toolName, arguments: part.tool.arguments, output: part.tool.output },
  );
}

export function liveStatus(turn: LiveTurn): TurnStatus {
  switch (turn.phase) {
    case "completed":
      return "completed";
    case "stopped":
      return "stopped";
    case "failed":
      return "failed";
    default:
      return "in_progress";
  }
}

/** The text a copy button copies: the reply's prose, without tool traffic. */
export function partsText(parts: readonly AssistantPart[]): string {
  return parts
    .filter((part): part is Extract<AssistantPart, { kind: "text" }> => part.kind === "text")
    .map((part) => part.text)
    .join("\n\n");
}

export function lastTurnNumber(turns: readonly TurnView[]): number {
  return turns[turns.length - 1]?.number ?? 0;
}
