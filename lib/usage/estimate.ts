import "server-only";
import type { AgentInputItem } from "@openai/agents";
import { countInputTokens } from "@/lib/agent/token-count";
import { env } from "@/lib/env";
import { costMicros, priceFor } from "@/lib/pricing/prices";
import type { PrismaSession } from "@/lib/session";

/** A model call's input as the runner sends it: instructions, the replayed history, the user's message. */
export interface TurnInput {
  instructions: string;
  history: readonly AgentInputItem[];
  userItem: AgentInputItem;
}

export interface InputEstimate {
  inputTokens: number;
  /** At the model's price in force now; null when it has none. */
  costMicros: number | null;
}

/** Tokens and cost of a turn's first model call input, counted as the runner counts a call without reported usage. */
export function estimateInput(input: TurnInput, model: string): InputEstimate {
  const inputTokens = countInputTokens(input.instructions, [...input.history, input.userItem]);
  const price = priceFor(model);
  return { inputTokens, costMicros: price ? costMicros({ inputTokens, cachedInputTokens: 0, outputTokens: 0 }, price) : null };
}

interface EstimateArgs {
  session: PrismaSession;
  userItem: AgentInputItem;
  instructions: string | null;
  model: string;
}

/** The next turn on a branch (default: the active one), with the history limit the runner applies. */
export async function estimateNextTurn(args: EstimateArgs & { branchId?: string }): Promise<InputEstimate> {
  const history = await args.session.historyAtBranchHead(args.branchId, env().FORKLINE_HISTORY_LIMIT);
  return estimateInput({ instructions: args.instructions ?? "", history, userItem: args.userItem }, args.model);
}

/** A regenerated answer for a turn: what that turn was sent, replayed. */
export async function estimateRegeneration(args: EstimateArgs & { turnId: string }): Promise<InputEstimate> {
  const history = await args.session.historyBefore(args.turnId, env().FORKLINE_HISTORY_LIMIT);
  return estimateInput({ instructions: args.instructions ?? "", history, userItem: args.userItem }, args.model);
}
