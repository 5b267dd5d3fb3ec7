import type { Usage } from "@openai/agents";

import type { UsageCounts } from "@/lib/usage/totals";

export type { UsageCounts } from "@/lib/usage/totals";

type DetailList = Array<Record<string, number>> | Record<string, number> | undefined;

function sumDetail(details: DetailList, key: string): number {
  if (!details) return 0;
  const list = Array.isArray(details) ? details : [details];
  return list.reduce((total, entry) => total + (Number(entry?.[key]) || 0), 0);
}

/** Anything `storeRunUsage` accepts: a run result (its `state.usage`), an SDK `Usage`, or plain counts. */
export type UsageSource = { state: { usage: Usage } } | Usage | UsageCounts;

function isRunResult(source: UsageSource): source is { state: { usage: Usage } } {
  return typeof source === "object" && source !== null && "state" in source && !!source.state?.usage;
}

/** Reads requests, input, cached, output and reasoning tokens from any usage source. */
export function toUsageCounts(source: UsageSource): UsageCounts {
  const usage = isRunResult(source) ? source.state.usage : source;
  if ("cachedInputTokens" in usage) return { ...usage };
  const sdk = usage as Usage;
  return {
    requests: Number(sdk.requests) || 0,
    inputTokens: Number(sdk.inputTokens) || 0,
    cachedInputTokens: sumDetail(sdk.inputTokensDetails, "cached_tokens"),
    outputTokens: Number(sdk.outputTokens) || 0,
    reasoningTokens: sumDetail(sdk.outputTokensDetails, "reasoning_tokens"),
  };
}

export function isEmptyUsage(counts: UsageCounts): boolean {
  return counts.requests === 0 && counts.inputTokens === 0 && counts.outputTokens === 0;
}
