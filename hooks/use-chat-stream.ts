"use client";

import { useContext } from "react";
import { ChatStreamContext, type ChatStreamApi } from "@/components/providers/chat-stream-provider";

/** The app-wide turn stream (survives navigation from `/` to `/c/:id`). */
export function useChatStream(): ChatStreamApi {
  const api = useContext(ChatStreamContext);
  if (!api) throw new Error("useChatStream must be used inside ChatStreamProvider");
  return api;
}
