import "server-only";
import type { TurnEstimate } from "@/lib/api-types";
import { resolveTurnSettings } from "@/lib/agent/turn-settings";
import { getDb } from "@/lib/db";
import { getConversationById } from "@/lib/db/conversation-queries";
import { getConversationSystemPrompt, getUserSettings } from "@/lib/db/settings";
import { notFound } from "@/lib/http/app-error";
import { PrismaSession, userMessage } from "@/lib/session";
import { budgetStatuses } from "@/lib/usage/budgets";
import { estimateNextTurn } from "@/lib/usage/estimate";
import { resolveModel } from "./service";

/** What the next turn on a branch would send with this draft, what its input costs, and the budgets it falls under. */
export async function handleEstimateTurn(userId: string, id: string, body: { draft: string; branchId?: string; model?: string }): Promise<TurnEstimate> {
  const db = getDb();
  if (!(await getConversationById({ db, id, userId }))) throw notFound("Conversation");
  const [preferences, conversationSystemPrompt] = await Promise.all([getUserSettings({ db, userId }), getConversationSystemPrompt({ db, id, userId })]);
  const model = resolveModel(body.model, preferences?.defaultModel ?? null);
  const { instructions } = resolveTurnSettings({
    conversationSystemPrompt: conversationSystemPrompt ?? null,
    userSystemPrompt: preferences?.systemPrompt ?? null,
    temperature: null,
    maxOutputTokens: null,
  });
  const session = new PrismaSession({ sessionId: id, userId, db });
  const [estimate, budgets] = await Promise.all([
    estimateNextTurn({ session, branchId: body.branchId, userItem: userMessage(body.draft), instructions, model }),
    budgetStatuses(userId, id),
  ]);
  return { model, ...estimate, budgets };
}
