"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import type { TurnView } from "@/lib/api-types";
import type { LiveTurn } from "@/lib/client/live-turn";
import { LiveTurnItem } from "@/components/chat/live-turn-item";
import type { TurnHandlers } from "@/components/chat/turn-handlers";
import { TurnItem } from "@/components/chat/turn-item";

/** Turns rendered at first and added per "show earlier" click; older turns stay out of the DOM. */
export const TURN_WINDOW = 50;
const STICK_THRESHOLD_PX = 80;

interface MessageListProps {
  turns: TurnView[];
  /** Turns of the branch before `turns` that the server has not sent yet. */
  earlierOnServer: number;
  /** Fetches the page before the first turn shown. */
  onLoadEarlier: () => Promise<void>;
  live: LiveTurn | null;
  busy: boolean;
  demoModels: ReadonlySet<string>;
  handlers: TurnHandlers;
  empty: ReactNode;
}

/** The scrolling transcript: the last turns of the active branch, pinned to the bottom while streaming. */
export function MessageList({ turns, earlierOnServer, onLoadEarlier, live, busy, demoModels, handlers, empty }: MessageListProps) {
  const [windowSize, setWindowSize] = useState(TURN_WINDOW);
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const anchor = useRef<number | null>(null);

  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const hiddenHere = Math.max(0, turns.length - windowSize);
  const hidden = hiddenHere + earlierOnServer;
  const visible = hiddenHere > 0 ? turns.slice(hiddenHere) : turns;

  const scrollToBottom = useCallback(() => {
    const node = scroller.current;
    if (node) node.scrollTop = node.scrollHeight;
  }, []);

  useEffect(() => {
    const node = content.current;
    if (!node) return;
    const observer = new ResizeObserver(() => {
      if (stick.current) scrollToBottom();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [scrollToBottom]);

  const liveKey = live?.key ?? null;
  useLayoutEffect(() => {
    if (liveKey === null) return;
    stick.current = true;
    scrollToBottom();
  }, [liveKey, scrollToBottom]);

  useLayoutEffect(() => {
    const node = scroller.current;
    // Kept until the earlier turns are in the page: a page from the server arrives a render after the click.
    if (!node || anchor.current === null || node.scrollHeight === anchor.current) return;
    node.scrollTop += node.scrollHeight - anchor.current;
    anchor.current = null;
  }, [windowSize, turns.length]);

  const showEarlier = async () => {
    const node = scroller.current;
    stick.current = false;
    if (node) anchor.current = node.scrollHeight;
    setWindowSize((size) => size + TURN_WINDOW);
    if (hiddenHere > 0) return;
    setLoadingEarlier(true);
    try {
      await onLoadEarlier();
    } finally {
      setLoadingEarlier(false);
    }
  };

  const onScroll = () => {
    const node = scroller.current;
    if (!node) return;
    stick.current = node.scrollHeight - node.scrollTop - node.clientHeight < STICK_THRESHOLD_PX;
  };

  const nothing = turns.length === 0 && !live;

  return (
    <div
      ref={scroller}
      onScroll={onScroll}
      data-testid="message-list"
      className="min-h-0 flex-1 overflow-y-auto overscroll-contain [scrollbar-gutter:stable]"
    >
      <div ref={content} className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-4 pt-6 pb-8">
        {hidden > 0 ? (
          <button
            type="button"
            data-testid="show-earlier"
            onClick={() => void showEarlier()}
            disabled={loadingEarlier}
            aria-busy={loadingEarlier}
            className="self-center rounded-full border border-line px-3 py-1 text-xs text-muted hover:bg-hover"
          >
            Show {Math.min(hidden, TURN_WINDOW)} earlier {Math.min(hidden, TURN_WINDOW) === 1 ? "turn" : "turns"} ({hidden} hidden)
          </button>
        ) : null}
        {nothing ? empty : null}
        {visible.map((turn) => (
          <TurnItem key={turn.id} turn={turn} busy={busy} demo={turn.model !== null && demoModels.has(turn.model)} handlers={handlers} />
        ))}
        {live ? <LiveTurnItem key={`live-${live.key}`} turn={live} demo={live.model !== null && demoModels.has(live.model)} /> : null}
      </div>
    </div>
  );
}
