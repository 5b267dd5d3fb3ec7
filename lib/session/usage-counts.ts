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

function addCounts(a: UsageCounts, b: UsageCounts): UsageCounts {
  return {
    requests: a.requests + b.requests,
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
}

const sameCounts = (a: UsageCounts, b: UsageCounts) =>
  a.requests === b.requests && a.inputTokens === b.inputTokens && a.outputTokens === b.outputTokens && a.cachedInputTokens === b.cachedInputTokens;

/**
 * A source's usage as ledger parts, one per model call when the SDK recorded each request (`requestUsageEntries`,
 * which the runner fills as a run adds each response's usage) and they account for the whole; the runner's automatic
 * `responses.compact` calls are compaction parts. Otherwise one turn part (and one compaction part if any).
 */
export function usageParts(source: UsageSource): { purpose: "turn" | "compaction"; counts: UsageCounts }[] {
  const total = toUsageCounts(source);
  const usage = isRunResult(source) ? source.state.usage : source;
  const entries = ((usage as Usage).requestUsageEntries ?? []).filter((entry) => entry && typeof entry === "object");
  const perCall = entries.map((entry) => ({
    purpose: entry.endpoint === COMPACT_ENDPOINT ? ("compaction" as const) : ("turn" as const),
    counts: toUsageCounts(entry),
  }));
  if (perCall.length > 0 && sameCounts(perCall.map((part) => part.counts).reduce(addCounts), total)) {
    return perCall.filter((part) => !isEmptyUsage(part.counts));
  }
  const compactions = perCall.filter((part) => part.purpose === "compaction");
  if (compactions.length === 0) return [{ purpose: "turn", counts: total }];
  const compaction = compactions.map((part) => part.counts).reduce(addCounts);
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
