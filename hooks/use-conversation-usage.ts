"use client";

import { useEffect, useState } from "react";
import type { ConversationUsageReport } from "@/lib/api-types";
import { errorMessage, getConversationUsage } from "@/lib/client/api";

interface UsageState {
  key: string;
  report: ConversationUsageReport | null;
  error: string | null;
}

/** The conversation's usage report, refetched when `version` changes (keeps the old report meanwhile). */
export function useConversationUsage(conversationId: string, version: string) {
  const [state, setState] = useState<UsageState>({ key: "", report: null, error: null });

  useEffect(() => {
    const controller = new AbortController();
    const key = `${conversationId}:${version}`;
    getConversationUsage(conversationId, controller.signal)
      .then((report) => setState({ key, report, error: null }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState((prev) => ({ key, report: prev.report, error: errorMessage(error) }));
      });
    return () => controller.abort();
  }, [conversationId, version]);

  return { report: state.report, error: state.error, loading: state.key !== `${conversationId}:${version}` };
}
