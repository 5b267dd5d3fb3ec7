"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageTotals } from "@/lib/api-types";
import { formatCostFigure, formatCostTick, formatTokens, moneyDecimals } from "@/lib/client/format";

/** One bar position: a turn or a day, with its usage. */
export interface UsagePoint {
  label: string;
  usage: UsageTotals;
}

interface ChartRow {
  label: string;
  input: number;
  cached: number;
  output: number;
  reasoning: number;
  /** The known part: a day with unpriced calls keeps its bar for what is known. */
  cost: number;
  unpricedCalls: number;
  unpricedModels: string[];
}

const TOKEN_SERIES = [
  { key: "input", name: "Input (uncached)", color: "#6366f1" },
  { key: "cached", name: "Cached input", color: "#a5b4fc" },
  { key: "output", name: "Output", color: "#10b981" },
  { key: "reasoning", name: "Reasoning", color: "#f59e0b" },
] as const;

function toRows(points: readonly UsagePoint[]): ChartRow[] {
  return points.map(({ label, usage }) => ({
    label,
    input: Math.max(0, usage.inputTokens - usage.cachedInputTokens),
    cached: usage.cachedInputTokens,
    output: Math.max(0, usage.outputTokens - usage.reasoningTokens),
    reasoning: usage.reasoningTokens,
    cost: usage.costMicros,
    unpricedCalls: usage.unpricedCalls,
    unpricedModels: usage.unpricedModels,
  }));
}

const axisTick = { fontSize: 11, fill: "currentColor" };
const tooltipStyle = { background: "var(--color-elevated)", border: "1px solid var(--color-line)", borderRadius: 8, fontSize: 12, color: "var(--color-fg)" };

/** Stacked token bars and cost bars for a series of turns or days. */
export function UsageBarChart({ points, xLabel }: { points: readonly UsagePoint[]; xLabel: string }) {
  const rows = toRows(points);
  if (rows.length === 0) return <p className="text-sm text-muted">Nothing to chart yet.</p>;
  const maxCost = Math.max(0, ...rows.map((row) => row.cost));
  const decimals = moneyDecimals(rows.map((row) => row.cost));
  const costLabel = (item: { payload?: unknown }) => {
    const row = item.payload as ChartRow;
    return formatCostFigure({ costMicros: row.cost, unpricedCalls: row.unpricedCalls, unpricedModels: row.unpricedModels }, decimals);
  };
  return (
    <div className="space-y-4 text-muted" data-testid="usage-chart">
      <figure>
        <figcaption className="mb-1 text-xs font-medium text-fg">Tokens per {xLabel}</figcaption>
        <BarChart responsive data={rows} style={{ width: "100%", height: 200 }} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--color-line)" vertical={false} />
          <XAxis dataKey="label" tick={axisTick} stroke="var(--color-line)" minTickGap={8} />
          <YAxis tick={axisTick} stroke="var(--color-line)" width={44} tickFormatter={(value: number) => formatTokens(value)} />
          <Tooltip
            contentStyle={tooltipStyle}
            cursor={{ fill: "var(--color-hover)" }}
            formatter={(value) => (typeof value === "number" ? formatTokens(value) : String(value ?? ""))}
          />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {TOKEN_SERIES.map((series) => (
            <Bar key={series.key} dataKey={series.key} name={series.name} stackId="tokens" fill={series.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </figure>
      <figure>
        <figcaption className="mb-1 text-xs font-medium text-fg">Cost per {xLabel}</figcaption>
        <BarChart responsive data={rows} style={{ width: "100%", height: 160 }} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--color-line)" vertical={false} />
          <XAxis dataKey="label" tick={axisTick} stroke="var(--color-line)" minTickGap={8} />
          <YAxis
            tick={axisTick}
            stroke="var(--color-line)"
            width={72}
            allowDecimals={false}
            domain={[0, maxCost > 0 ? "auto" : 10_000]}
            tickFormatter={(value: number) => formatCostTick(value)}
          />
          <Tooltip
            contentStyle={tooltipStyle}
            cursor={{ fill: "var(--color-hover)" }}
            formatter={(_value, _name, item) => costLabel(item)}
          />
          <Bar dataKey="cost" name="Cost" fill="#8b5cf6" isAnimationActive={false} />
        </BarChart>
      </figure>
    </div>
  );
}
