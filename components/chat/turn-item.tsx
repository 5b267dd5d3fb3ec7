"use client";

import { memo, useMemo } from "react";
import type { TurnView } from "@/lib/api-types";
import { assistantParts, partsText, userText } from "@/lib/client/turn-parts";
import { AssistantMessage } from "@/components/chat/assistant-message";
import { SiblingNav } from "@/components/chat/sibling-nav";
import { TurnActions } from "@/components/chat/turn-actions";
import type { TurnHandlers } from "@/components/chat/turn-handlers";
import { TurnStatusNotice } from "@/components/chat/turn-status";
import { TurnUsage } from "@/components/chat/turn-usage";
import { UserMessage } from "@/components/chat/user-message";

interface TurnItemProps {
  turn: TurnView;
  busy: boolean;
  demo: boolean;
  handlers: TurnHandlers;
}

/** A stored turn: the user's message and the assistant's reply with its actions. */
export const TurnItem = memo(function TurnItem({ turn, busy, demo, handlers }: TurnItemProps) {
  const question = useMemo(() => userText(turn.messages), [turn.messages]);
  const parts = useMemo(() => assistantParts(turn.messages), [turn.messages]);
  const inProgress = turn.status === "in_progress";
  const retryable = turn.status === "stopped" || turn.status === "failed" || turn.status === "interrupted";

  return (
    <article className="turn-item flex flex-col gap-3" data-testid="turn" data-turn-number={turn.number} aria-label={`Turn ${turn.number}`}>
      <UserMessage turnNumber={turn.number} text={question} busy={busy} onEdit={handlers.onEdit} />
      <AssistantMessage
        turnNumber={turn.number}
        turnId={turn.id}
        status={turn.status}
        streaming={false}
        parts={parts}
        footer={
          <>
            {inProgress ? (
              <div className="mt-2 flex items-center gap-2 text-sm text-muted" data-testid="turn-in-progress">
                <span>Still generating in another tab or session…</span>
                <button type="button" data-testid="remote-stop-button" className="underline" onClick={() => handlers.onStopRemote(turn.id)}>
                  Stop
                </button>
              </div>
            ) : null}
            {turn.unreadableItems > 0 ? (
              <p className="mt-2 text-sm text-muted" role="note" data-testid="turn-unreadable">
                {turn.unreadableItems === 1 ? "1 item could not be read" : `${turn.unreadableItems} items could not be read`} (a damaged stored row;
                the rest of the conversation is unaffected).
              </p>
            ) : null}
            <TurnStatusNotice
              status={turn.status}
              error={turn.error}
              onRetry={retryable ? () => handlers.onRegenerate(turn.number) : undefined}
              retryDisabled={busy}
            />
            <div className="mt-1.5">
              <TurnUsage usage={turn.usage} model={turn.model} demo={demo} />
            </div>
            <TurnActions
              text={partsText(parts)}
              busy={busy || inProgress}
              onRegenerate={() => handlers.onRegenerate(turn.number)}
              onForkHere={() => handlers.onForkHere(turn.number)}
              onForkNew={() => handlers.onForkNew(turn.number)}
            >
              <SiblingNav siblings={turn.siblings} disabled={busy} onSwitch={handlers.onSwitchSibling} />
            </TurnActions>
          </>
        }
      />
    </article>
  );
});
