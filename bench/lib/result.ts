import type { BenchContext } from "./context";
import type { Summary } from "./stats";

export type Unit = "ms" | "MB" | "turns/s" | "B" | "statements";

/** One line of the results table: a median, the baseline measured in the same run, and the verdict. */
export interface Row {
  /** Short figure name, e.g. "fork @ 10,000 turns". */
  figure: string;
  unit: Unit;
  subject: Summary;
  baselineLabel: string;
  baseline: Summary;
  /** How the target is stated, e.g. "≤ 1.5× baseline". */
  target: string;
  /** null: informational, no target. */
  pass: boolean | null;
  /** Extra measured detail shown next to the verdict, e.g. "overhead 3.1 ms". */
  detail?: string;
  /** Why the figure was not measured in this run, e.g. "no PostgreSQL"; the row then holds no numbers. */
  skipped?: string;
}

/** What a scenario is: shown in the report even when it fails. */
export interface ScenarioInfo {
  id: string;
  title: string;
  /** One paragraph: what is measured and how. */
  about: string;
  command: string;
}

/** What a scenario measured. */
export interface ScenarioOutcome {
  rows: Row[];
  /** Measured evidence explaining misses, with what would close them; Markdown lines. */
  diagnosis: string[];
  /** Facts about the run worth keeping (settings, breakdowns), Markdown lines. */
  facts: string[];
}

/** A scenario the orchestrator can run. */
export interface Scenario extends ScenarioInfo {
  run(ctx: BenchContext): Promise<ScenarioOutcome>;
}

/** One scenario's line in the report; `error` when it could not finish. */
export interface ScenarioResult extends ScenarioInfo, ScenarioOutcome {
  error?: string;
}

/** subject / baseline. */
export function ratio(row: Row): number {
  return row.subject.median / row.baseline.median;
}

/** A row whose target is a maximum ratio of subject to baseline. */
export function ratioRow(init: Omit<Row, "target" | "pass">, maxRatio: number | null): Row {
  const row: Row = { ...init, target: maxRatio === null ? "— (info)" : `≤ ${maxRatio}× baseline`, pass: null };
  if (maxRatio !== null) row.pass = ratio(row) <= maxRatio;
  return row;
}

const NOTHING: Summary = { median: Number.NaN, p25: Number.NaN, p75: Number.NaN, n: 0 };

/** A one-off measurement (a size, a count) as a summary of one sample. */
export function single(value: number): Summary {
  return { median: value, p25: value, p75: value, n: 1 };
}

/** A row that could not be measured in this run, shown with its target and the reason. */
export function skippedRow(init: Pick<Row, "figure" | "unit" | "baselineLabel" | "target">, reason: string): Row {
  return { ...init, subject: NOTHING, baseline: NOTHING, pass: null, skipped: reason };
}
