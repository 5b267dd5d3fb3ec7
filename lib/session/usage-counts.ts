import type { RequestUsage, Usage } from "@openai/agents";

import type { UsageCounts } from "@/lib/usage/totals";

export type { UsageCounts } from "@/lib/usage/totals";

type DetailList = Array<Record<string, number>> | Record<string, number> | undefined;

function sumDetail(details: DetailList, key: string): number {
  if (!details) return 0;
  const list = Array.isArray(details) ? details : [details];
  return list.reduce((total, entry) => total + (Number(entry?.[key]) || 0), 0);
}

/**
 * Anything `storeRunUsage` accepts: a run result (its `state.usage`), an SDK `Usage`, one `RequestUsage` (what
 * `runCompaction()` returns: one request), or plain counts.
 */
export type UsageSource = { state: { usage: Usage } } | Usage | RequestUsage | UsageCounts;

function isRunResult(source: UsageSource): source is { state: { usage: Usage } } {
  return typeof source === "object" && source !== null && "state" in source && !!source.state?.usage;
}

/** Reads requests, input, cached, output and reasoning tokens from any usage source. */
export function toUsageCounts(source: UsageSource): UsageCounts {
  const usage = isRunResult(source) ? source.state.usage : source;
  if ("cachedInputTokens" in usage) return { ...usage };
  const sdk = usage as Usage;
  // A RequestUsage has no request count: it is one request.
  const requests = "requests" in sdk ? Number(sdk.requests) || 0 : "inputTokens" in sdk ? 1 : 0;
  return {
    requests,
    inputTokens: Number(sdk.inputTokens) || 0,
    cachedInputTokens: sumDetail(sdk.inputTokensDetails, "cached_tokens"),
    outputTokens: Number(sdk.outputTokens) || 0,
    reasoningTokens: sumDetail(sdk.outputTokensDetails, "reasoning_tokens"),
  };
}

export function isEmptyUsage(counts: UsageCounts): boolean {
  return counts.requests === 0 && counts.inputTokens === 0 && counts.outputTokens === 0;
}

/** The SDK's endpoint name for compaction calls the runner adds to a run's usage. */
const COMPACT_ENDPOINT = "responses.compact";

/**
 * A source's usage split by purpose: the runner folds automatic `responses.compact` calls into the run's usage (as
 * request entries with that endpoint); they are the run's compaction part, the rest is the turn's.
 */
export function usageParts(source: UsageSource): { purpose: "turn" | "compaction"; counts: UsageCounts }[] {
  const total = toUsageCounts(source);
  const usage = isRunResult(source) ? source.state.usage : source;
  const entries = ((usage as Usage).requestUsageEntries ?? []).filter((entry) => entry?.endpoint === COMPACT_ENDPOINT);
  if (entries.length === 0) return [{ purpose: "turn", counts: total }];
  const compaction = entries.map((entry) => toUsageCounts(entry)).reduce((sum, part) => ({
    requests: sum.requests + part.requests,
    inputTokens: sum.inputTokens + part.inputTokens,
    cachedInputTokens: sum.cachedInputTokens + part.cachedInputTokens,
    outputTokens: sum.outputTokens + part.outputTokens,
    reasoningTokens: sum.reasoningTokens + part.reasoningTokens,
  }));
  const turn = {
    requests: total.requests - compaction.requests,
    inputTokens: total.inputTokens - compaction.inputTokens,
    cachedInputTokens: total.cachedInputTokens - compaction.cachedInputTokens,
    outputTokens: total.outputTokens - compaction.outputTokens,
    reasoningTokens: total.reasoningTokens - compaction.reasoningTokens,
  };
  return [
    ...(isEmptyUsage(turn) ? [] : [{ purpose: "turn" as const, counts: turn }]),
    { purpose: "compaction" as const, counts: compaction },
  ];
}
