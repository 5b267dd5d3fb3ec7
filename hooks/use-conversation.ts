"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { ConversationDetail } from "@/lib/api-types";
import { ApiError, getConversation, updateBranch } from "@/lib/client/api";
import { onConversationEvent } from "@/lib/client/events";

interface LoadState {
  id: string | null;
  detail: ConversationDetail | null;
  error: ApiError | null;
}

/**
 * A fresh first page, keeping the earlier turns the person already loaded when the branch is the same (turns before the
 * page cannot have changed: an edit or retry makes a new branch).
 */
export function mergeFreshPage(previous: ConversationDetail | null, fresh: ConversationDetail): ConversationDetail {
  const first = fresh.turns[0]?.number;
  if (!previous || previous.id !== fresh.id || previous.activeBranchId !== fresh.activeBranchId || first === undefined) return fresh;
  const kept = previous.turns.filter((turn) => turn.number < first);
  if (kept.length === 0) return fresh;
  return { ...fresh, turns: [...kept, ...fresh.turns], earlierTurns: previous.earlierTurns };
}

function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError("unknown", "Could not load the conversation", 0);
}

/** The conversation's detail (active branch path), with a reload that resolves to the fresh copy. */
export function useConversation(id: string | null) {
  const [state, setState] = useState<LoadState>({ id: null, detail: null, error: null });
  const generation = useRef(0);
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  }, [state]);

  const reload = useCallback(async (): Promise<ConversationDetail | null> => {
    if (!id) return null;
    const ticket = ++generation.current;
    try {
      const fresh = await getConversation(id);
      const shown = latest.current;
      const merged = mergeFreshPage(shown.id === id ? shown.detail : null, fresh);
      if (ticket === generation.current) setState({ id, detail: merged, error: null });
      return merged;
    } catch (error) {
      const apiError = toApiError(error);
      if (ticket === generation.current) setState((prev) => ({ id, detail: prev.id === id ? prev.detail : null, error: apiError }));
      return null;
    }
  }, [id]);

  useEffect(() => {
    if (!id) return;
    const ticket = ++generation.current;
    const controller = new AbortController();
    // A search result opens the conversation on the branch that matched (`/c/:id?branch=…`).
    const branch = new URLSearchParams(window.location.search).get("branch");
    if (branch) window.history.replaceState(window.history.state, "", `/c/${id}`);
    const switched = branch ? updateBranch(id, branch, { active: true }).then(() => undefined, () => undefined) : Promise.resolve();
    switched
      .then(() => getConversation(id, controller.signal))
      .then((detail) => {
        if (ticket === generation.current) setState({ id, detail, error: null });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted || ticket !== generation.current) return;
        setState({ id, detail: null, error: toApiError(error) });
      });
    return () => controller.abort();
  }, [id]);

  useEffect(
    () =>
      onConversationEvent((event) => {
        if (event.type === "renamed" && event.id === id) {
          setState((prev) => (prev.detail && prev.id === id ? { ...prev, detail: { ...prev.detail, title: event.title } } : prev));
        }
      }),
    [id],
  );

  /** Fetches the page of turns before the first one shown and puts it in front (no-op when there is none). */
  const loadEarlier = useCallback(async (): Promise<void> => {
    const shown = latest.current.id === id ? latest.current.detail : null;
    const first = shown?.turns[0]?.number;
    if (!id || !shown || first === undefined || shown.earlierTurns === 0) return;
    const page = await getConversation(id, undefined, { before: first });
    setState((prev) => {
      const now = prev.id === id ? prev.detail : null;
      if (!now || now.activeBranchId !== page.activeBranchId || now.turns[0]?.number !== first) return prev;
      return { ...prev, detail: { ...now, turns: [...page.turns, ...now.turns], earlierTurns: page.earlierTurns } };
    });
  }, [id]);

  const current = state.id === id ? state : null;
  return {
    detail: current?.detail ?? null,
    error: current?.error ?? null,
    loading: id !== null && current === null,
    reload,
    loadEarlier,
  };
}
