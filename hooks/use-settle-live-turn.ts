"use client";

import { useEffect } from "react";
import type { ConversationDetail } from "@/lib/api-types";
import { updateBranch } from "@/lib/client/api";
import { isSettled, type LiveTurn } from "@/lib/client/live-turn";

const RELOAD_RETRIES = 5;
const RELOAD_DELAY_MS = 300;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Once the live turn settles: reload until the server has finished the turn, make its branch active, then drop the live copy. */
export function useSettleLiveTurn(
  live: LiveTurn | null,
  reload: () => Promise<ConversationDetail | null>,
  dismiss: (key: number) => void,
): void {
  const settled = live && isSettled(live.phase) ? live : null;

  useEffect(() => {
    if (!settled) return;
    let cancelled = false;
    const stillRunning = (detail: ConversationDetail | null) =>
      detail !== null && settled.turnId !== null && detail.turns.some((turn) => turn.id === settled.turnId && turn.status === "in_progress");

    void (async () => {
      let detail = await reload();
      for (let attempt = 0; attempt < RELOAD_RETRIES && stillRunning(detail); attempt++) {
        await delay(RELOAD_DELAY_MS);
        if (cancelled) return;
        detail = await reload();
      }
      const branchId = settled.branchId;
      if (detail && branchId && detail.activeBranchId !== branchId && detail.branches.some((branch) => branch.id === branchId)) {
        try {
          await updateBranch(settled.conversationId, branchId, { active: true });
          detail = await reload();
        } catch {
          // The reply is stored either way; staying on the current branch is acceptable.
        }
      }
      if (!cancelled) dismiss(settled.key);
    })();

    return () => {
      cancelled = true;
    };
  }, [settled, reload, dismiss]);
}
