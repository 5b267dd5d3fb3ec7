"use client";

import { useMemo } from "react";
import type { LiveTurn } from "@/lib/client/live-turn";
import { isSettled } from "@/lib/client/live-turn";
import { liveAssistantParts, liveStatus } from "@/lib/client/turn-parts";
import { AssistantMessage } from "@/components/chat/assistant-message";
import { TurnStatusNotice } from "@/components/chat/turn-status";
import { TurnUsage } from "@/components/chat/turn-usage";
import { UserMessage } from "@/components/chat/user-message";

/** The turn being streamed; laid out like a stored turn so the swap does not shift the page. */
export function LiveTurnItem({ turn, demo }: { turn: LiveTurn; demo: boolean }) {
  const parts = useMemo(() => liveAssistantParts(turn), [turn]);
  const status = liveStatus(turn);
  const streaming = !isSettled(turn.phase);
  return (
    <article className="flex flex-col gap-3" data-testid="turn" data-live="true" data-turn-number={turn.turnNumber} aria-label={`Turn ${turn.turnNumber}`}>
      <UserMessage turnNumber={turn.turnNumber} text={turn.userText} busy />
      <AssistantMessage
        turnNumber={turn.turnNumber}
        turnId={turn.turnId}
        status={status}
        streaming={streaming}
        parts={parts}
        footer={
          <>
            <TurnStatusNotice status={status} error={turn.error} />
            <div className="mt-1.5 min-h-4">
              {streaming ? (
                <span className="text-[11px] text-muted">{turn.phase === "stopping" ? "Stopping…" : "Generating…"}</span>
              ) : (
                <TurnUsage usage={turn.usage} model={turn.model} demo={demo} />
              )}
            </div>
            <div className="mt-1 h-8" aria-hidden="true" />
          </>
        }
      />
    </article>
  );
}
