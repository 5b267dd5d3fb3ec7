"use client";

import { useEffect, useRef } from "react";
import { useConversationUsage } from "@/hooks/use-conversation-usage";
import { BranchUsageTable } from "@/components/usage/branch-usage-table";
import { ModelUsageTable } from "@/components/usage/model-usage-table";
import { UsageBarChart } from "@/components/usage/usage-bar-chart";
import { TurnUsageList } from "@/components/usage/turn-usage-list";
import { UsageTotalsCard } from "@/components/usage/usage-totals";
import { ErrorBanner } from "@/components/ui/error-banner";
import { IconButton } from "@/components/ui/icon-button";
import { CloseIcon } from "@/components/ui/icons";

interface UsagePanelProps {
  conversationId: string;
  /** Changes whenever the conversation changed, so the report refreshes. */
  version: string;
  onClose: () => void;
}

/** Drawer with the conversation's spend: total and its parts, per branch, per model, per turn and per call. */
export function UsagePanel({ conversationId, version, onClose }: UsagePanelProps) {
  const { report, error } = useConversationUsage(conversationId, version);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented) {
        event.preventDefault();
        onClose();
      }
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [onClose]);

  return (
    <>
      <div aria-hidden="true" className="fixed inset-0 z-40 bg-black/30" onClick={onClose} />
      <aside
        data-testid="usage-panel"
        role="dialog"
        aria-modal="true"
        aria-label="Conversation usage"
        className="fixed inset-y-0 right-0 z-50 flex w-full max-w-lg flex-col border-l border-line bg-bg shadow-2xl"
      >
        <header className="flex items-center gap-2 border-b border-line px-4 py-3">
          <h2 className="flex-1 text-base font-semibold">Usage</h2>
          <IconButton ref={closeRef} label="Close usage panel" data-testid="usage-close" onClick={onClose}>
            <CloseIcon />
          </IconButton>
        </header>
        <div className="min-h-0 flex-1 space-y-6 overflow-y-auto p-4">
          {error ? <ErrorBanner message={error} /> : null}
          {!report && !error ? <p className="text-sm text-muted">Loading…</p> : null}
          {report ? (
            <>
              <UsageTotalsCard
                usage={report.total}
                hitRate={report.cacheHitRate}
                label="Total spend (every call once)"
                testId="usage-total"
                parts={[
                  { label: "Conversation overhead (title)", usage: report.overhead, testId: "usage-overhead" },
                  { label: "Deleted branches", usage: report.deletedBranches, testId: "usage-deleted-branches" },
                ]}
              />
              <section>
                <h3 className="mb-2 text-sm font-semibold">Branches</h3>
                <BranchUsageTable branches={report.branches} />
              </section>
              <section>
                <h3 className="mb-2 text-sm font-semibold">Models</h3>
                <ModelUsageTable models={report.models} />
              </section>
              <section>
                <h3 className="mb-2 text-sm font-semibold">Active branch, per turn</h3>
                <UsageBarChart xLabel="turn" points={report.turns.map((row) => ({ label: String(row.turn), usage: row.usage }))} />
              </section>
              <section>
                <h3 className="mb-2 text-sm font-semibold">Active branch, per call</h3>
                <TurnUsageList turns={report.turns} />
              </section>
            </>
          ) : null}
        </div>
      </aside>
    </>
  );
}
