"use client";

import { useEffect, useState } from "react";
import type { TurnEstimate } from "@/lib/api-types";
import { estimateTurn } from "@/lib/client/api";

/** Waits this long after the last keystroke before asking: one request per pause, not per key. */
export const ESTIMATE_DEBOUNCE_MS = 300;

export interface EstimateTarget {
  conversationId: string;
  branchId: string | null;
  model: string | null;
  /** Changes when the conversation does (a turn finished, a branch switched), so the history is counted afresh. */
  version: string;
}

/** The pre-send estimate for a draft, debounced; keeps the last answer while the next is on its way, null on error. */
export function useTurnEstimate(target: EstimateTarget | null, draft: string): TurnEstimate | null {
  const [estimate, setEstimate] = useState<{ key: string; value: TurnEstimate } | null>(null);
  const conversationId = target?.conversationId ?? null;
  const branchId = target?.branchId ?? null;
  const model = target?.model ?? null;
  const version = target?.version ?? "";

  useEffect(() => {
    if (!conversationId) return;
    const controller = new AbortController();
    const key = `${conversationId}|${branchId}|${model}`;
    const timer = setTimeout(() => {
      estimateTurn(conversationId, { draft, branchId: branchId ?? undefined, model: model ?? undefined }, controller.signal)
        .then((value) => setEstimate({ key, value }))
        .catch(() => {
          if (!controller.signal.aborted) setEstimate(null);
        });
    }, ESTIMATE_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [conversationId, branchId, model, version, draft]);

  const key = `${conversationId}|${branchId}|${model}`;
  return conversationId && estimate?.key === key ? estimate.value : null;
}
