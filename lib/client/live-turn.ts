import type { UsageTotals } from "@/lib/api-types";
import type { TurnEvent } from "@/lib/client/sse";

export interface LiveTool {
  callId: string;
  toolName: string;
  arguments: string;
  output: string | null;
}

export type LivePart = { kind: "text"; text: string } | { kind: "tool"; tool: LiveTool };

export type LivePhase = "connecting" | "streaming" | "stopping" | "completed" | "stopped" | "failed";

/** The turn being streamed, shown in place of the server's copy until the stream settles. */
export interface LiveTurn {
  key: number;
  conversationId: string;
  turnNumber: number;
  turnId: string | null;
  branchId: string | null;
  model: string | null;
  userText: string;
  parts: LivePart[];
  phase: LivePhase;
  error: { code: string; message: string } | null;
  /** Its cost is `usage.costMicros` (the known part) plus `usage.unpricedCalls`. */
  usage: UsageTotals | null;
}

export function isSettled(phase: LivePhase): boolean {
  return phase === "completed" || phase === "stopped" || phase === "failed";
}

/** Appends streamed text, merging with a trailing text part. */
export function appendText(turn: LiveTurn, delta: string): LiveTurn {
  if (!delta) return turn;
  const last = turn.parts[turn.parts.length - 1];
  const parts =
    last && last.kind === "text"
      ? [...turn.parts.slice(0, -1), { kind: "text" as const, text: last.text + delta }]
      : [...turn.parts, { kind: "text" as const, text: delta }];
  return { ...turn, parts, phase: turn.phase === "connecting" ? "streaming" : turn.phase };
}

/** Applies one non-text turn event. */
export function applyTurnEvent(turn: LiveTurn, event: TurnEvent): LiveTurn {
  switch (event.name) {
    case "turn.started":
      return {
        ...turn,
        turnId: event.data.turnId,
        turnNumber: event.data.turnNumber,
        branchId: event.data.branchId,
        model: event.data.model ?? turn.model,
        phase: turn.phase === "connecting" ? "streaming" : turn.phase,
      };
    case "text.delta":
      return appendText(turn, event.data.delta);
    case "tool.called":
      return {
        ...turn,
        parts: [...turn.parts, { kind: "tool", tool: { callId: event.data.callId, toolName: event.data.toolName, arguments: event.data.arguments, output: null } }],
      };
    case "tool.output":
      return {
        ...turn,
        parts: turn.parts.map((part) =>
          part.kind === "tool" && part.tool.callId === event.data.callId ? { kind: "tool", tool: { ...part.tool, output: event.data.output } } : part,
        ),
      };
    case "turn.completed":
      return { ...turn, phase: "completed", usage: event.data.usage };
    case "turn.failed":
      return { ...turn, phase: "failed", error: event.data.error };
    case "turn.stopped":
      return { ...turn, phase: "stopped", usage: event.data.usage, error: event.data.error ?? null };
    default:
      return turn;
  }
}
