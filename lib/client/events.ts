import type { ConversationSummary } from "@/lib/api-types";

/** Changes to conversations that other views (sidebar, chat header) should reflect. */
export type ConversationEvent =
  | { type: "created"; conversation: ConversationSummary }
  | { type: "renamed"; id: string; title: string }
  | { type: "deleted"; id: string }
  | { type: "updated"; id: string };

type Listener = (event: ConversationEvent) => void;

const listeners = new Set<Listener>();

export function emitConversationEvent(event: ConversationEvent): void {
  for (const listener of listeners) listener(event);
}

/** Subscribes to conversation events; returns the unsubscribe function. */
export function onConversationEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
