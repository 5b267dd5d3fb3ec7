import type { Unit } from "./result";

/** A value in its unit, with as many digits as the magnitude deserves (sub-millisecond times in µs). */
export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return "—";
  if (unit === "ms") {
    if (value < 1) return `${Math.round(value * 1000)} µs`;
    if (value < 10) return `${value.toFixed(2)} ms`;
    if (value < 1000) return `${value.toFixed(1)} ms`;
    return `${(value / 1000).toFixed(2)} s`;
  }
  if (unit === "MB") return `${value.toFixed(1)} MB`;
  if (unit === "B") return `${formatCount(Math.round(value))} B`;
  if (unit === "statements") return formatCount(Math.round(value));
  return `${value.toFixed(0)} turns/s`;
}

/** A ratio such as "1.23×". */
export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "—";
}

/** A whole number with thousands separators. */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}
