/** What this process last saw of the model provider: the health endpoint reports "degraded" while it is failing. */
export type ProviderStatus = "ok" | "failing" | "untested";

/** Turn error codes that mean the provider itself is unwell, not that one request was bad. */
const PROVIDER_FAILURES = new Set(["model_timeout", "model_auth_failed", "model_unavailable", "model_unreachable", "model_stream_broken"]);

/** A failure older than this no longer marks the provider as failing (nobody may have tried since). */
const FAILURE_MEMORY_MS = 5 * 60_000;

let last: { ok: boolean; at: number } | undefined;

/** Records how a model call ended: `null` for success, else the turn's error code. */
export function recordProviderOutcome(errorCode: string | null): void {
  if (errorCode === null) last = { ok: true, at: Date.now() };
  else if (PROVIDER_FAILURES.has(errorCode)) last = { ok: false, at: Date.now() };
}

/** "failing" when the latest model call in this process failed on the provider's side in the last five minutes. */
export function providerStatus(now = Date.now()): ProviderStatus {
  if (!last) return "untested";
  if (!last.ok && now - last.at < FAILURE_MEMORY_MS) return "failing";
  return "ok";
}

/** Forgets what was seen (tests). */
export function resetProviderHealthForTests(): void {
  last = undefined;
}
