import { costMicros, priceFor } from "@/lib/pricing/prices";
import type { PrismaSession } from "@/lib/session";
import type { RawUsage } from "./raw-store";

/** The model every benchmark turn is charged to. */
export const SAMPLE_MODEL = "gpt-4.1-mini";

/** The usage of one benchmark turn. */
export const SAMPLE_COUNTS = { requests: 1, inputTokens: 1_200, cachedInputTokens: 0, outputTokens: 150, reasoningTokens: 0 };

/** The usage row `storeRunUsage(SAMPLE_COUNTS, { model: SAMPLE_MODEL })` stores, price snapshot included (priced once). */
export function sampleUsageRow(): RawUsage {
  const price = priceFor(SAMPLE_MODEL);
  return {
    model: SAMPLE_MODEL,
    ...SAMPLE_COUNTS,
    costMicros: price ? costMicros(SAMPLE_COUNTS, price) : null,
    inputPricePerMillion: price?.inputPerMillion ?? null,
    cachedPricePerMillion: price?.cachedPerMillion ?? null,
    outputPricePerMillion: price?.outputPerMillion ?? null,
  };
}

/**
 * Charges every turn of the session's active branch once with the sample usage, through `storeRunUsage({ turnId })`,
 * `concurrency` calls at a time; checks the conversation's totals afterwards (`storeRunUsage` never throws).
 */
export async function seedUsagePerTurn(session: PrismaSession, concurrency = 1): Promise<number> {
  const turnIds = (await session.getConversationTurns()).map((turn) => turn.turnId);
  for (let start = 0; start < turnIds.length; start += concurrency) {
    const chunk = turnIds.slice(start, start + concurrency);
    await Promise.all(chunk.map((turnId) => session.storeRunUsage(SAMPLE_COUNTS, { model: SAMPLE_MODEL, turnId })));
  }
  const totals = await session.getSessionUsage();
  if (totals?.turns !== turnIds.length || totals.requests !== turnIds.length * SAMPLE_COUNTS.requests) {
    throw new Error(`usage seeding stored ${totals?.turns ?? 0} turns with usage, expected ${turnIds.length}`);
  }
  return turnIds.length;
}
