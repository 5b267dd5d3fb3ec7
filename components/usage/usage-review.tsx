"use client";

import { useState } from "react";
import type { UsageReviewReport } from "@/lib/api-types";
import { ZERO_TOTALS } from "@/lib/usage/totals";
import { daysBetween, isoDay } from "@/lib/client/format";
import { useIsClient } from "@/hooks/use-is-client";
import { useUsageReview } from "@/hooks/use-usage-review";
import { SidebarToggle } from "@/components/layout/sidebar-toggle";
import { ConversationSpendTable } from "@/components/usage/conversation-spend-table";
import { DateRangePicker } from "@/components/usage/date-range-picker";
import { ModelUsageTable } from "@/components/usage/model-usage-table";
import { UsageBarChart } from "@/components/usage/usage-bar-chart";
import { UsageTotalsCard } from "@/components/usage/usage-totals";
import { ErrorBanner } from "@/components/ui/error-banner";

function lastDays(days: number): { from: string; to: string } {
  const end = new Date();
  const start = new Date(end.getFullYear(), end.getMonth(), end.getDate() - (days - 1));
  return { from: isoDay(start), to: isoDay(end) };
}

/** One bar per day of the range, days without usage at zero. */
function dailyPoints(report: UsageReviewReport) {
  const byDay = new Map(report.days.map((day) => [day.date.slice(0, 10), day.usage]));
  const days = daysBetween(report.from.slice(0, 10), report.to.slice(0, 10));
  const labels = days.length > 0 ? days : [...byDay.keys()];
  return labels.map((date) => ({ label: date.slice(5), usage: byDay.get(date) ?? ZERO_TOTALS }));
}

/** The /usage page: spend over a date range, per conversation, per day and per model. */
export function UsageReview() {
  const isClient = useIsClient();
  return (
    <div data-testid="usage-page" className="flex h-full min-h-0 flex-col">
      <header className="flex h-12 shrink-0 items-center gap-2 border-b border-line px-2 sm:px-4">
        <SidebarToggle />
        <h1 className="text-sm font-medium">Usage review</h1>
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto">{isClient ? <UsageReviewBody /> : null}</div>
    </div>
  );
}

function UsageReviewBody() {
  const [range, setRange] = useState(() => lastDays(30));
  const { report, error, loading } = useUsageReview(range.from, range.to);

  return (
    <div className="mx-auto w-full max-w-4xl space-y-6 p-4 sm:p-6">
      <DateRangePicker from={range.from} to={range.to} onChange={setRange} />
      {error ? <ErrorBanner message={error} /> : null}
      {loading && !report ? <p className="text-sm text-muted">Loading…</p> : null}
      {report ? (
        <>
          <UsageTotalsCard usage={report.total} label={`Spend from ${report.from} to ${report.to}`} testId="usage-review-total" />
          <section>
            <h2 className="mb-2 text-sm font-semibold">Per day</h2>
            <UsageBarChart xLabel="day" points={dailyPoints(report)} />
          </section>
          <section>
            <h2 className="mb-2 text-sm font-semibold">Conversations by spend</h2>
            <ConversationSpendTable conversations={report.conversations} deleted={report.deletedConversations} />
          </section>
          <section>
            <h2 className="mb-2 text-sm font-semibold">Models</h2>
            <ModelUsageTable models={report.models} />
          </section>
        </>
      ) : null}
    </div>
  );
}
