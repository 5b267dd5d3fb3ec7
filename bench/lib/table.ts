import { formatRatio, formatValue } from "./format";
import { ratio, type Row, type ScenarioResult } from "./result";

const HEADERS = ["#", "Figure", "Median", "Baseline", "Ratio", "Target", "Result"];

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function verdict(row: Row): string {
  if (row.skipped) return `skipped (${row.skipped})`;
  const word = row.pass === null ? "info" : row.pass ? "pass" : "MISS";
  return row.detail ? `${word} (${row.detail})` : word;
}

function median(row: Row, spread: boolean): string {
  const { median: value, p25, p75, n } = row.subject;
  if (n === 0) return "—";
  const range = spread && n > 1 ? `, p25–p75 ${formatValue(p25, row.unit)}–${formatValue(p75, row.unit)}` : "";
  return `${formatValue(value, row.unit)} (n=${n}${range})`;
}

/** The cells of every row, one array per line, scenario errors included; `spread` adds the interquartile range. */
export function tableCells(results: readonly ScenarioResult[], spread = false): string[][] {
  const lines: string[][] = [];
  for (const result of results) {
    if (result.error) lines.push([result.id, result.title, "—", "—", "—", "—", `ERROR: ${shorten(result.error.split("\n")[0] ?? "", 110)}`]);
    result.rows.forEach((row, index) => {
      lines.push([
        result.rows.length > 1 ? `${result.id}${String.fromCharCode(97 + index)}` : result.id,
        row.figure,
        median(row, spread),
        row.skipped ? `— ${row.baselineLabel}` : `${formatValue(row.baseline.median, row.unit)} ${row.baselineLabel}`,
        formatRatio(ratio(row)),
        row.target,
        verdict(row),
      ]);
    });
  }
  return lines;
}

/** The table as aligned plain text for the terminal. */
export function renderText(results: readonly ScenarioResult[]): string {
  const lines = [HEADERS, ...tableCells(results)];
  const widths = HEADERS.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? "").length)));
  const render = (line: string[]) => line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  return [render(HEADERS), widths.map((width) => "-".repeat(width)).join("  "), ...lines.slice(1).map(render)].join("\n");
}

/** The table as GitHub Markdown, with the interquartile range of every median. */
export function renderMarkdown(results: readonly ScenarioResult[]): string {
  const escape = (cell: string) => cell.replaceAll("|", "\\|");
  const line = (cells: string[]) => `| ${cells.map(escape).join(" | ")} |`;
  return [line(HEADERS), line(HEADERS.map(() => "---")), ...tableCells(results, true).map(line)].join("\n");
}
