import type { UsageTotals } from "@/lib/api-types";

/** Formats integer micro-dollars; null is unknown ("—"), never $0. */
export function formatCost(micros: number | null | undefined): string {
  if (micros === null || micros === undefined) return "—";
  if (micros === 0) return "$0.00";
  const dollars = micros / 1_000_000;
  const sign = dollars < 0 ? "-" : "";
  const abs = Math.abs(dollars);
  if (abs >= 1) return `${sign}$${abs.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (abs >= 0.0001) return `${sign}$${abs.toFixed(4)}`;
  return `${sign}$${abs.toFixed(6)}`;
}

/** Short cost label for chart axes. */
export function formatCostTick(micros: number): string {
  if (micros === 0) return "$0";
  const dollars = micros / 1_000_000;
  if (dollars >= 1) return `$${dollars.toFixed(dollars >= 100 ? 0 : 1)}`;
  return `$${Number(dollars.toPrecision(2)).toString()}`;
}

/** Cost of a usage record, treating a missing record as unknown. */
export function usageCost(usage: UsageTotals | null | undefined): string {
  return formatCost(usage ? usage.costMicros : null);
}

export function formatTokens(count: number): string {
  if (count < 10_000) return count.toLocaleString("en-US");
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 100_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(2)}M`;
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** YYYY-MM-DD in local time. */
export function isoDay(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/** Every YYYY-MM-DD from `from` to `to` inclusive (at most `limit` days). */
export function daysBetween(from: string, to: string, limit = 400): string[] {
  const [fy, fm, fd] = from.split("-").map(Number);
  const [ty, tm, td] = to.split("-").map(Number);
  if (!fy || !fm || !fd || !ty || !tm || !td) return [];
  const days: string[] = [];
  const end = new Date(ty, tm - 1, td).getTime();
  for (let day = new Date(fy, fm - 1, fd); day.getTime() <= end && days.length < limit; day.setDate(day.getDate() + 1)) {
    days.push(isoDay(day));
  }
  return days;
}
