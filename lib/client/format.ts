import type { CostFigure } from "@/lib/api-types";

const MICROS_PER_DOLLAR = 1_000_000;
const MIN_DECIMALS = 2;
const MAX_DECIMALS = 6;

function clampDecimals(decimals: number): number {
  return Math.min(MAX_DECIMALS, Math.max(MIN_DECIMALS, Math.trunc(decimals)));
}

/** Decimals one exact amount needs: the fewest (2–6) that show every non-zero micro-dollar digit. */
function decimalsOf(micros: number): number {
  const fraction = Math.abs(Math.round(micros)) % MICROS_PER_DOLLAR;
  for (let decimals = MIN_DECIMALS; decimals < MAX_DECIMALS; decimals++) {
    if (fraction % 10 ** (MAX_DECIMALS - decimals) === 0) return decimals;
  }
  return MAX_DECIMALS;
}

/** The one precision for figures shown together: that of the most precise of them, so their sums add up on screen. */
export function moneyDecimals(micros: readonly number[]): number {
  return micros.reduce((most, amount) => Math.max(most, decimalsOf(amount)), MIN_DECIMALS);
}

/** Integer micro-dollars as "$1,234.5678": exact with its own precision, or at `decimals` (2–6, rounded half up). */
export function formatMoney(micros: number, decimals = moneyDecimals([micros])): string {
  const places = clampDecimals(decimals);
  const step = 10 ** (MAX_DECIMALS - places);
  const rounded = Math.round(Math.abs(Math.round(micros)) / step) * step;
  const dollars = Math.floor(rounded / MICROS_PER_DOLLAR).toLocaleString("en-US");
  const fraction = String(rounded % MICROS_PER_DOLLAR).padStart(MAX_DECIMALS, "0").slice(0, places);
  return `${micros < 0 && rounded > 0 ? "-" : ""}$${dollars}.${fraction}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}

/** "$1.23", or "$1.23 + 2 unpriced calls (llama3.2)" when some calls have no known price. */
export function formatCostFigure(figure: CostFigure, decimals?: number): string {
  const known = formatMoney(figure.costMicros, decimals);
  if (figure.unpricedCalls === 0) return known;
  const models = figure.unpricedModels.length > 0 ? ` (${figure.unpricedModels.join(", ")})` : "";
  return `${known} + ${plural(figure.unpricedCalls, "unpriced call", "unpriced calls")}${models}`;
}

/** The exact figure for a tooltip: "490 µ$ exactly; 2 calls have no price: llama3.2". */
export function costFigureTitle(figure: CostFigure): string {
  const exact = `${Math.round(figure.costMicros).toLocaleString("en-US")} µ$ exactly`;
  if (figure.unpricedCalls === 0) return exact;
  const calls = figure.unpricedCalls === 1 ? "1 call has" : `${figure.unpricedCalls.toLocaleString("en-US")} calls have`;
  const models = figure.unpricedModels.length > 0 ? `: ${figure.unpricedModels.join(", ")}` : "";
  return `${exact}; ${calls} no price${models}`;
}

/** The figures of a list of usages (null = none), for `moneyDecimals`. */
export function costsOf(figures: readonly (CostFigure | null | undefined)[]): number[] {
  return figures.flatMap((figure) => (figure ? [figure.costMicros] : []));
}

/** Short cost label for chart axes. */
export function formatCostTick(micros: number): string {
  if (micros === 0) return "$0";
  const dollars = micros / 1_000_000;
  if (dollars >= 1) return `$${dollars.toFixed(dollars >= 100 ? 0 : 1)}`;
  return `$${Number(dollars.toPrecision(2)).toString()}`;
}

/** A share (0–1) as a whole percent: "42%". */
export function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
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
