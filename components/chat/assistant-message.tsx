"use client";

import type { ReactNode } from "react";
import type { TurnStatus } from "@/lib/api-types";
import type { AssistantPart } from "@/lib/client/turn-parts";
import { Markdown } from "@/components/markdown/markdown";
import { ReasoningBlock } from "@/components/chat/reasoning-block";
import { ToolCall } from "@/components/chat/tool-call";

interface AssistantMessageProps {
  turnNumber: number;
  turnId: string | null;
  status: TurnStatus;
  streaming: boolean;
  parts: AssistantPart[];
  /** Status notice, usage row and action bar, rendered below the reply. */
  footer: ReactNode;
}

/** The assistant's side of a turn: text, reasoning and tool calls in order. */
export function AssistantMessage({ turnNumber, turnId, status, streaming, parts, footer }: AssistantMessageProps) {
  const empty = parts.length === 0;
  return (
    <div
      data-testid="message"
      data-role="assistant"
      data-turn-number={turnNumber}
      data-turn-id={turnId ?? undefined}
      data-status={status}
      aria-busy={streaming || undefined}
      className="group/assistant text-[15px]"
    >
      {parts.map((part, index) => {
        switch (part.kind) {
          case "text":
            return <Markdown key={index} text={part.text} />;
          case "reasoning":
            return <ReasoningBlock key={index} text={part.text} />;
          case "tool":
            return <ToolCall key={index} toolName={part.toolName} arguments={part.arguments} output={part.output} pending={streaming} />;
        }
      })}
      {empty && streaming ? <TypingDots /> : null}
      {empty && !streaming && status === "completed" ? <p className="text-sm text-muted italic">(no text in this reply)</p> : null}
      {footer}
    </div>
  );
}

function TypingDots() {
  return (
    <div data-testid="typing-indicator" aria-label="Assistant is typing" className="flex h-6 items-center gap-1">
      <span className="size-1.5 animate-bounce rounded-full bg-muted [animation-delay:-0.3s]" />
      <span className="size-1.5 animate-bounce rounded-full bg-muted [animation-delay:-0.15s]" />
      <span className="size-1.5 animate-bounce rounded-full bg-muted" />
    </div>
  );
}
