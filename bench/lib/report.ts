import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ScenarioResult } from "./result";
import { renderMarkdown } from "./table";

export interface RunInfo {
  startedAt: Date;
  /** 1-minute load average when the run started and when it ended. */
  load: [number, number];
  wallMs: number;
  command: string;
  build: string | null;
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

function scenarioSection(result: ScenarioResult): string[] {
  const lines = [`### ${result.id}. ${result.title}`, "", result.about, "", `Reproduce: \`${result.command}\``];
  if (result.facts.length > 0) lines.push("", ...result.facts);
  return [...lines, ""];
}

function missSection(result: ScenarioResult): string[] {
  const missed = result.rows.filter((row) => row.pass === false).map((row) => row.figure);
  if (result.error) return [`### ${result.id}. ${result.title}: did not run`, "", "```", result.error, "```", ""];
  if (missed.length === 0) return [];
  return [`### ${result.id}. ${result.title}: ${missed.join("; ")}`, "", ...result.diagnosis, ""];
}

/** The results file: the table, what each figure is, how to reproduce it, and the measured diagnosis of every miss. */
export function renderReport(results: readonly ScenarioResult[], info: RunInfo): string {
  const misses = results.flatMap(missSection);
  return [
    "# Benchmark results",
    "",
    "Written by `npm run bench` (see `docs/benchmarks.md`); rerun it rather than editing this file.",
    "",
    `- Run: ${info.startedAt.toISOString()}, \`${info.command}\`, ${(info.wallMs / 1000).toFixed(0)} s wall time in total`,
    `- Machine: ${machine()}; load average ${info.load[0].toFixed(1)} at the start, ${info.load[1].toFixed(1)} at the end ` +
      "(other work on the machine slows every figure; ratios suffer less)",
    ...(info.build ? [`- App build: ${info.build}`] : []),
    "- Every figure is the median of n interleaved runs; the baseline is measured in the same run; ratio = median ÷ baseline median.",
    "",
    renderMarkdown(results),
    "",
    "## Misses",
    "",
    ...(misses.length > 0 ? misses : ["None: every target was met in this run.", ""]),
    "## What each figure is",
    "",
    ...results.flatMap(scenarioSection),
  ].join("\n");
}

/** Writes the report to `file` (relative to the working directory). */
export function writeReport(file: string, content: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, content.endsWith("\n") ? content : `${content}\n`);
}
