import type { TurnError } from "./model-errors";

/** The error a capped turn is marked with (status `stopped`); the UI shows its message under the kept reply. */
export const REPLY_CAPPED = "reply_capped";

/** The default max output tokens never goes above this: it is within every offered OpenAI model's output limit. */
const DEFAULT_OUTPUT_TOKENS_CEILING = 16_384;

/**
 * Counts a turn's streamed reply text against FORKLINE_MAX_REPLY_CHARS. `take` returns the part of a delta still
 * within the cap; once a delta crosses it, `capped` is set and the runner aborts the model request.
 */
export class ReplyCap {
  private used = 0;
  capped = false;

  constructor(readonly limit: number) {}

  take(delta: string): string {
    if (this.capped) return "";
    const room = this.limit - this.used;
    if (delta.length <= room) {
      this.used += delta.length;
      return delta;
    }
    this.capped = true;
    this.used = this.limit;
    let kept = delta.slice(0, room);
    // Never keep half of a surrogate pair (it is not valid text to store or send).
    if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
    return kept;
  }

  error(): TurnError {
    return { code: REPLY_CAPPED, message: `The reply was cut at ${this.limit.toLocaleString("en-US")} characters (FORKLINE_MAX_REPLY_CHARS).` };
  }
}

/**
 * The max output tokens a model request carries: the turn's own setting, else FORKLINE_MAX_OUTPUT_TOKENS (0: none, for
 * providers that refuse the field, such as OpenAI's reasoning models over Chat Completions, which want
 * `max_completion_tokens`), else a quarter token per reply character allowed (about 4 characters a token), at most 16,384.
 */
export function maxOutputTokens(
  turnSetting: number | null,
  settings: { FORKLINE_MAX_OUTPUT_TOKENS?: number | undefined; FORKLINE_MAX_REPLY_CHARS: number },
): number | undefined {
  if (turnSetting !== null) return turnSetting;
  if (settings.FORKLINE_MAX_OUTPUT_TOKENS === 0) return undefined;
  return settings.FORKLINE_MAX_OUTPUT_TOKENS ?? Math.min(DEFAULT_OUTPUT_TOKENS_CEILING, Math.ceil(settings.FORKLINE_MAX_REPLY_CHARS / 4));
}
