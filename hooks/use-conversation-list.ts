"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { ConversationSummary } from "@/lib/api-types";
import { errorMessage, listConversations } from "@/lib/client/api";
import { onConversationEvent } from "@/lib/client/events";

interface ListState {
  query: string | null;
  items: ConversationSummary[];
  nextCursor: string | null;
  loadingMore: boolean;
  error: string | null;
}

const EMPTY_ITEMS: ConversationSummary[] = [];
const INITIAL: ListState = { query: null, items: [], nextCursor: null, loadingMore: false, error: null };

/** Merges a fresh first page into what is loaded, keeping later pages that the first page does not cover. */
function mergeFirstPage(loaded: ConversationSummary[], page: ConversationSummary[]): ConversationSummary[] {
  const fresh = new Set(page.map((item) => item.id));
  const oldest = page[page.length - 1];
  const rest = loaded.filter((item) => !fresh.has(item.id) && (!oldest || item.updatedAt < oldest.updatedAt));
  return [...page, ...rest];
}

/** The sidebar's conversations for a search query: first page, infinite "load more", live updates. */
export function useConversationList(query: string) {
  const [state, setState] = useState<ListState>(INITIAL);
  const generation = useRef(0);
  const stateRef = useRef(state);

  useEffect(() => {
    stateRef.current = state;
  }, [state]);

  const loadFirst = useCallback(async (q: string, merge: boolean) => {
    const ticket = ++generation.current;
    try {
      const page = await listConversations({ q: q || undefined });
      if (ticket !== generation.current) return;
      setState((prev) => {
        const keep = merge && prev.query === q && prev.items.length > page.conversations.length;
        return {
          query: q,
          items: keep ? mergeFirstPage(prev.items, page.conversations) : page.conversations,
          nextCursor: keep ? prev.nextCursor : page.nextCursor,
          loadingMore: false,
          error: null,
        };
      });
    } catch (error) {
      if (ticket !== generation.current) return;
      setState((prev) => ({ ...prev, query: q, loadingMore: false, error: errorMessage(error) }));
    }
  }, []);

  useEffect(() => {
    void loadFirst(query, false);
  }, [query, loadFirst]);

  const loadMore = useCallback(async () => {
    const current = stateRef.current;
    if (current.loadingMore || !current.nextCursor || current.query !== query) return;
    const ticket = generation.current;
    setState((prev) => ({ ...prev, loadingMore: true }));
    stateRef.current = { ...current, loadingMore: true };
    try {
      const page = await listConversations({ cursor: current.nextCursor, q: query || undefined });
      if (ticket !== generation.current) return;
      setState((prev) => {
        const seen = new Set(prev.items.map((item) => item.id));
        return {
          ...prev,
          items: [...prev.items, ...page.conversations.filter((item) => !seen.has(item.id))],
          nextCursor: page.nextCursor,
          loadingMore: false,
        };
      });
    } catch (error) {
      if (ticket !== generation.current) return;
      setState((prev) => ({ ...prev, loadingMore: false, error: errorMessage(error) }));
    }
  }, [query]);

  useEffect(
    () =>
      onConversationEvent((event) => {
        switch (event.type) {
          case "created":
            if (!query) setState((prev) => ({ ...prev, items: [event.conversation, ...prev.items.filter((item) => item.id !== event.conversation.id)] }));
            break;
          case "renamed":
            setState((prev) => ({ ...prev, items: prev.items.map((item) => (item.id === event.id ? { ...item, title: event.title } : item)) }));
            break;
          case "deleted":
            setState((prev) => ({ ...prev, items: prev.items.filter((item) => item.id !== event.id) }));
            break;
          case "updated":
            void loadFirst(query, true);
            break;
        }
      }),
    [query, loadFirst],
  );

  const ready = state.query === query;
  return {
    items: ready ? state.items : EMPTY_ITEMS,
    loading: !ready,
    loadingMore: state.loadingMore,
    hasMore: ready && state.nextCursor !== null,
    error: state.error,
    loadMore,
  };
}
