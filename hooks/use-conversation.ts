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

function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError("unknown", "Could not load the conversation", 0);
}

/** The conversation's detail (active branch path), with a reload that resolves to the fresh copy. */
export function useConversation(id: string | null) {
  const [state, setState] = useState<LoadState>({ id: null, detail: null, error: null });
  const generation = useRef(0);

  const reload = useCallback(async (): Promise<ConversationDetail | null> => {
    if (!id) return null;
    const ticket = ++generation.current;
    try {
      const detail = await getConversation(id);
      if (ticket === generation.current) setState({ id, detail, error: null });
      return detail;
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

  const current = state.id === id ? state : null;
  return {
    detail: current?.detail ?? null,
    error: current?.error ?? null,
    loading: id !== null && current === null,
    reload,
  };
}
