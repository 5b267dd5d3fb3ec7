"use client";

import { useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { SendIcon, StopIcon } from "@/components/ui/icons";
import { TurnEstimateLine } from "@/components/chat/turn-estimate";
import { useTurnEstimate, type EstimateTarget } from "@/hooks/use-turn-estimate";

interface ComposerProps {
  streaming: boolean;
  canSend: boolean;
  placeholder: string;
  onSend: (text: string) => Promise<boolean>;
  onStop: () => void;
  /** Extra controls on the composer's lower row (model picker, demo badge). */
  toolbar?: ReactNode;
  notice?: ReactNode;
  /** Where the next message would go, for the live pre-send estimate; null for a chat not created yet. */
  estimateTarget?: EstimateTarget | null;
}

const MAX_HEIGHT_PX = 240;

/** The message box: Enter sends, Shift+Enter adds a line, the send button turns into Stop while streaming. */
export function Composer({ streaming, canSend, placeholder, onSend, onStop, toolbar, notice, estimateTarget = null }: ComposerProps) {
  const [text, setText] = useState("");
  const estimate = useTurnEstimate(estimateTarget, text);
  const ref = useRef<HTMLTextAreaElement>(null);

  useLayoutEffect(() => {
    const node = ref.current;
    if (!node) return;
    node.style.height = "auto";
    node.style.height = `${Math.min(node.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  const ready = canSend && !streaming && text.trim().length > 0;

  const send = async () => {
    if (!ready) return;
    const message = text.trim();
    setText("");
    const ok = await onSend(message);
    if (!ok) setText((current) => (current ? current : message));
    ref.current?.focus();
  };

  return (
    <div className="shrink-0 bg-bg px-3 pb-3 sm:px-4" data-testid="composer">
      <div className="mx-auto w-full max-w-3xl">
        {notice}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void send();
          }}
          className="rounded-2xl border border-line bg-elevated shadow-sm focus-within:border-accent/60"
        >
          <textarea
            ref={ref}
            data-testid="message-input"
            aria-label="Message"
            placeholder={placeholder}
            rows={1}
            autoFocus
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
                event.preventDefault();
                void send();
              }
            }}
            className="block max-h-60 w-full resize-none bg-transparent px-4 pt-3 pb-1 text-[15px] leading-6 outline-none placeholder:text-muted"
          />
          <TurnEstimateLine estimate={estimate} />
          <div className="flex items-center gap-2 px-2 pb-2">
            <div className="flex min-w-0 flex-1 flex-wrap items-center gap-2">{toolbar}</div>
            {streaming ? (
              <button
                type="button"
                data-testid="stop-button"
                aria-label="Stop generating"
                title="Stop (Esc)"
                onClick={onStop}
                className="inline-flex size-9 shrink-0 items-center justify-center rounded-full bg-fg text-bg hover:opacity-85"
              >
                <StopIcon />
              </button>
            ) : (
              <button
                type="submit"
                data-testid="send-button"
                aria-label="Send message"
                title="Send (Enter)"
                disabled={!ready}
                className="inline-flex size-9 shrink-0 items-center justify-center rounded-full bg-accent text-accent-fg hover:opacity-90 disabled:opacity-30"
              >
                <SendIcon />
              </button>
            )}
          </div>
        </form>
      </div>
    </div>
  );
}
