"use client";

import { useEffect, useState } from "react";
import type { UsageReviewReport } from "@/lib/api-types";
import { errorMessage, getUsageReview } from "@/lib/client/api";

interface ReviewState {
  key: string;
  report: UsageReviewReport | null;
  error: string | null;
}

/** The spend review for an inclusive date range (YYYY-MM-DD). */
export function useUsageReview(from: string, to: string) {
  const [state, setState] = useState<ReviewState>({ key: "", report: null, error: null });
  const key = `${from}..${to}`;

  useEffect(() => {
    if (!from || !to) return;
    const controller = new AbortController();
    getUsageReview({ from, to }, controller.signal)
      .then((report) => setState({ key, report, error: null }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState({ key, report: null, error: errorMessage(error) });
      });
    return () => controller.abort();
  }, [from, to, key]);

  const current = state.key === key;
  return { report: current ? state.report : null, error: current ? state.error : null, loading: !current };
}
