"use client";

import { isoDay } from "@/lib/client/format";

interface DateRangePickerProps {
  from: string;
  to: string;
  onChange: (range: { from: string; to: string }) => void;
}

/** Two date inputs (inclusive range) plus quick presets. */
export function DateRangePicker({ from, to, onChange }: DateRangePickerProps) {
  const preset = (days: number) => {
    const end = new Date();
    const start = new Date(end.getFullYear(), end.getMonth(), end.getDate() - (days - 1));
    onChange({ from: isoDay(start), to: isoDay(end) });
  };
  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="usage-range">
      <label className="flex flex-col gap-1 text-xs text-muted">
        From
        <input
          type="date"
          data-testid="usage-from"
          value={from}
          max={to}
          onChange={(event) => event.target.value && onChange({ from: event.target.value, to })}
          className="rounded-md border border-line bg-bg px-2 py-1 text-sm text-fg"
        />
      </label>
      <label className="flex flex-col gap-1 text-xs text-muted">
        To
        <input
          type="date"
          data-testid="usage-to"
          value={to}
          min={from}
          onChange={(event) => event.target.value && onChange({ from, to: event.target.value })}
          className="rounded-md border border-line bg-bg px-2 py-1 text-sm text-fg"
        />
      </label>
      <div className="flex gap-1">
        {[7, 30, 90].map((days) => (
          <button
            key={days}
            type="button"
            data-testid={`usage-preset-${days}`}
            onClick={() => preset(days)}
            className="rounded-md border border-line px-2 py-1 text-xs hover:bg-hover"
          >
            {days} days
          </button>
        ))}
      </div>
    </div>
  );
}
