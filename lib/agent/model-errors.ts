import { APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { MaxTurnsExceededError, ModelBehaviorError } from "@openai/agents";

export interface TurnError {
  code: string;
  message: string;
}

/** True when the error only reflects our own abort (stop button, closed stream). */
export function isAbort(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return true;
  const name = (error as { name?: string })?.name;
  return name === "AbortError";
}

/** Seconds the provider asked us to wait (`retry-after-ms`, `retry-after` in seconds or as a date), if it said. */
export function retryAfterSeconds(headers: Headers | Record<string, string | null | undefined> | undefined): number | null {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : (headers?.[name] ?? null));
  const ms = Number(get("retry-after-ms"));
  if (get("retry-after-ms") && Number.isFinite(ms) && ms >= 0) return Math.ceil(ms / 1000);
  const value = get("retry-after");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

const MAX_TOOL_NAME_CHARS = 64;
// The Agents SDK's wording for a function call no tool answers (agents-core runner/modelOutputs: throwFunctionToolNotFound).
const TOOL_NOT_FOUND = /^Tool ([\s\S]+?) not found in agent [\s\S]*$/;

/** The name of the tool a `ModelBehaviorError` says does not exist, made safe to show (printable, at most 64 chars). */
export function unknownToolName(message: string): string | null {
  const match = TOOL_NOT_FOUND.exec(message);
  if (!match) return null;
  // The name comes from the model: drop control and formatting characters (bidi overrides too) and cap its length.
  const name = match[1]!.replace(/[\p{C}\p{Z}]+/gu, " ").trim().replace(/"/g, "'");
  if (!name) return null;
  const chars = [...name];
  return chars.length > MAX_TOOL_NAME_CHARS ? `${chars.slice(0, MAX_TOOL_NAME_CHARS).join("")}…` : name;
}

/** Maps a model or run failure to a stable code and a message a person understands. */
export function describeModelError(error: unknown): TurnError {
  if (error instanceof APIConnectionTimeoutError) {
    return { code: "model_timeout", message: "The model took too long to answer. Try again, or pick another model." };
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const status = error.status;
    if (status === 401 || status === 403) return { code: "model_auth_failed", message: `The model provider refused the API key (HTTP ${status}). Check OPENAI_API_KEY.` };
    if (status === 404) return { code: "model_not_found", message: `The model provider does not know this model (HTTP 404).` };
    if (status === 429) {
      const wait = retryAfterSeconds(error.headers);
      const when = wait === null ? "a moment" : wait < 90 ? `about ${Math.max(1, wait)} seconds` : `about ${Math.ceil(wait / 60)} minutes`;
      return { code: "model_rate_limited", message: `The model provider is rate limiting requests (HTTP 429). Wait ${when} and retry.` };
    }
    if (status >= 500) return { code: "model_unavailable", message: `The model provider failed (HTTP ${status}). Retry in a moment.` };
    return { code: "model_request_rejected", message: `The model provider rejected the request (HTTP ${status}): ${error.message}` };
  }
  if (error instanceof APIError) {
    return { code: "model_unreachable", message: "Could not reach the model provider. Check OPENAI_BASE_URL and that the server is running." };
  }
  if (error instanceof MaxTurnsExceededError) {
    return { code: "max_steps_exceeded", message: "The agent used too many tool steps without finishing." };
  }
  const unknownTool = error instanceof ModelBehaviorError ? unknownToolName(error.message) : null;
  if (unknownTool !== null) {
    return { code: "model_unknown_tool", message: `The model called a tool that does not exist: "${unknownTool}".` };
  }
  if (error instanceof SyntaxError || error instanceof ModelBehaviorError) {
    return { code: "model_bad_response", message: "The model sent a response that could not be read." };
  }
  const message = (error as Error)?.message ?? String(error);
  if (/terminated|socket|ECONNRESET|premature|other side closed/i.test(message)) {
    return { code: "model_stream_broken", message: "The connection to the model broke before the answer was complete." };
  }
  if (/ECONNREFUSED|ENOTFOUND|fetch failed/i.test(message)) {
    return { code: "model_unreachable", message: "Could not reach the model provider. Check OPENAI_BASE_URL and that the server is running." };
  }
  return { code: "model_error", message: `The model run failed: ${message}` };
}
