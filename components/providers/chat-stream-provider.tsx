"use client";

import { createContext, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { ApiError, openTurnStream, stopTurn, type TurnStreamRequest } from "@/lib/client/api";
import { emitConversationEvent } from "@/lib/client/events";
import { appendText, applyTurnEvent, isSettled, type LiveTurn } from "@/lib/client/live-turn";
import { conversationTitle, readSse, toTurnEvent } from "@/lib/client/sse";

/** What the chat views need from the single in-flight turn stream. */
export interface ChatStreamApi {
  live: LiveTurn | null;
  isStreaming: boolean;
  /** Opens a stream; resolves once the server accepted it, rejects with ApiError otherwise. */
  start: (request: TurnStreamRequest, display: { turnNumber: number; userText: string; model: string | null }) => Promise<void>;
  stop: () => void;
  /** Forgets a settled live turn once the view shows the server's copy. */
  dismiss: (key: number) => void;
}

export const ChatStreamContext = createContext<ChatStreamApi | null>(null);

const STOP_GRACE_MS = 1500;

export function ChatStreamProvider({ children }: { children: ReactNode }) {
  const [live, setLive] = useState<LiveTurn | null>(null);
  const controllerRef = useRef<AbortController | null>(null);
  const keyRef = useRef(0);
  const currentRef = useRef<{ key: number; conversationId: string; turnId: string | null; settled: boolean } | null>(null);
  const pendingText = useRef("");
  const frame = useRef<number | null>(null);

  const update = useCallback((key: number, change: (turn: LiveTurn) => LiveTurn) => {
    setLive((turn) => (turn && turn.key === key ? change(turn) : turn));
  }, []);

  const flush = useCallback(
    (key: number) => {
      if (frame.current !== null) {
        cancelAnimationFrame(frame.current);
        frame.current = null;
      }
      const text = pendingText.current;
      if (!text) return;
      pendingText.current = "";
      update(key, (turn) => appendText(turn, text));
    },
    [update],
  );

  const consume = useCallback(
    async (key: number, conversationId: string, body: ReadableStream<Uint8Array>, controller: AbortController) => {
      let settled = false;
      try {
        for await (const message of readSse(body, controller.signal)) {
          const title = conversationTitle(message);
          if (title) emitConversationEvent({ type: "renamed", id: conversationId, title });
          const event = toTurnEvent(message);
          if (!event) continue;
          if (event.name === "text.delta") {
            pendingText.current += event.data.delta;
            if (frame.current === null) frame.current = requestAnimationFrame(() => flush(key));
            continue;
          }
          flush(key);
          if (event.name === "turn.started" && currentRef.current?.key === key) currentRef.current.turnId = event.data.turnId;
          if (event.name === "turn.completed" || event.name === "turn.failed" || event.name === "turn.stopped") {
            settled = true;
            if (currentRef.current?.key === key) currentRef.current.settled = true;
          }
          update(key, (turn) => applyTurnEvent(turn, event));
        }
      } catch (error) {
        if (!controller.signal.aborted) {
          settled = true;
          flush(key);
          const message = error instanceof Error ? error.message : "The stream broke";
          update(key, (turn) => (isSettled(turn.phase) ? turn : { ...turn, phase: "failed", error: { code: "stream_error", message } }));
        }
      } finally {
        flush(key);
        if (!settled) {
          const aborted = controller.signal.aborted;
          update(key, (turn) =>
            isSettled(turn.phase)
              ? turn
              : aborted
                ? { ...turn, phase: "stopped" }
                : { ...turn, phase: "failed", error: { code: "stream_closed", message: "The connection closed before the reply finished." } },
          );
        }
        if (controllerRef.current === controller) controllerRef.current = null;
        if (currentRef.current?.key === key) currentRef.current = null;
        emitConversationEvent({ type: "updated", id: conversationId });
      }
    },
    [flush, update],
  );

  const start = useCallback<ChatStreamApi["start"]>(
    async (request, display) => {
      // A settled stream may stay open briefly (the title arrives after the reply); it need not block the next turn.
      if (currentRef.current && !currentRef.current.settled) {
        throw new ApiError("turn_in_progress", "A reply is still streaming. Stop it or wait for it to finish.", 409);
      }
      const controller = new AbortController();
      controllerRef.current = controller;
      const key = ++keyRef.current;
      currentRef.current = { key, conversationId: request.conversationId, turnId: null, settled: false };
      pendingText.current = "";
      setLive({
        key,
        conversationId: request.conversationId,
        turnNumber: display.turnNumber,
        turnId: null,
        branchId: null,
        model: display.model,
        userText: display.userText,
        parts: [],
        phase: "connecting",
        error: null,
        usage: null,
      });
      let body: ReadableStream<Uint8Array>;
      try {
        body = await openTurnStream(request, controller.signal);
      } catch (error) {
        if (controllerRef.current === controller) controllerRef.current = null;
        if (currentRef.current?.key === key) currentRef.current = null;
        if (controller.signal.aborted) {
          // Stopped before the server answered: the turn may exist server-side, so let the view reload.
          update(key, (turn) => ({ ...turn, phase: "stopped" }));
          emitConversationEvent({ type: "updated", id: request.conversationId });
          return;
        }
        setLive((turn) => (turn && turn.key === key ? null : turn));
        throw error;
      }
      void consume(key, request.conversationId, body, controller);
    },
    [consume, update],
  );

  const stop = useCallback(() => {
    const controller = controllerRef.current;
    const current = currentRef.current;
    if (!controller || !current || current.settled) return;
    update(current.key, (turn) => (isSettled(turn.phase) ? turn : { ...turn, phase: "stopping" }));
    if (!current.turnId) {
      controller.abort();
      return;
    }
    stopTurn(current.conversationId, current.turnId)
      .catch(() => undefined)
      .finally(() => {
        setTimeout(() => {
          if (controllerRef.current === controller) controller.abort();
        }, STOP_GRACE_MS);
      });
  }, [update]);

  const dismiss = useCallback((key: number) => {
    setLive((turn) => (turn && turn.key === key && isSettled(turn.phase) ? null : turn));
  }, []);

  useEffect(
    () => () => {
      controllerRef.current?.abort();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const isStreaming = live !== null && !isSettled(live.phase);
  const value = useMemo<ChatStreamApi>(() => ({ live, isStreaming, start, stop, dismiss }), [live, isStreaming, start, stop, dismiss]);

  return <ChatStreamContext.Provider value={value}>{children}</ChatStreamContext.Provider>;
}
