import "server-only";
import os from "node:os";
import { randomBytes } from "node:crypto";
import type {
  BranchInfo,
  ConversationDetail,
  ConversationPage,
  ConversationSummary,
  UserSettings,
} from "@/lib/api-types";
import { modelCatalog } from "@/lib/agent/model-catalog";
import { runTurn } from "@/lib/agent/run-turn";
import { replayTurnSettings, resolveTurnModel, resolveTurnSettings } from "@/lib/agent/turn-settings";
import { runningTurns } from "@/lib/agent/running-turns";
import { getDb } from "@/lib/db";
import { conversationTurnCounts, getConversationById, latestMatchingTurnId, listConversations, renameConversation } from "@/lib/db/conversation-queries";
import { conversationLedgerCosts } from "@/lib/db/ledger";
import {
  getConversationBudget,
  getConversationSystemPrompt,
  getUserSettings,
  saveUserSettings,
  setConversationBudget,
  setConversationSystemPrompt,
  type UserSettingsPatch,
} from "@/lib/db/settings";
import { env } from "@/lib/env";
import { AppError, notFound } from "@/lib/http/app-error";
import { createEventStream } from "@/lib/http/sse";
import { PrismaSession, TurnNotFoundError, userMessage } from "@/lib/session";
import { getTurnSettings, type TurnSettings } from "@/lib/session/turn-lifecycle";
import { enforceBudgets } from "@/lib/usage/budgets";
import { estimateNextTurn, estimateRegeneration } from "@/lib/usage/estimate";
import { branchInfos, turnViews, type TurnPage } from "./projections";
import { enforceTurnLimits, recordGuestTurn, type TurnRequester } from "./rate-limit";


/** Identifies this process's turns, so a restart can tell its own dead turns from another instance's live ones. */
export const RUNNER_ID = `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

const PAGE_SIZE = 30;

async function ownedSession(userId: string, conversationId: string): Promise<PrismaSession> {
  const row = await getConversationById({ db: getDb(), id: conversationId, userId });
  if (!row) throw notFound("Conversation");
  return new PrismaSession({ sessionId: conversationId, userId, db: getDb() });
}

async function summaries(rows: { id: string; title: string | null; createdAt: Date; updatedAt: Date }[]): Promise<ConversationSummary[]> {
  const ids = rows.map((row) => row.id);
  const [costs, turnCounts] = await Promise.all([conversationLedgerCosts(getDb(), ids), conversationTurnCounts(getDb(), ids)]);
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    costMicros: costs.get(row.id)?.costMicros ?? 0,
    unpricedCalls: costs.get(row.id)?.unpricedCalls ?? 0,
    unpricedModels: costs.get(row.id)?.unpricedModels ?? [],
    turnCount: turnCounts.get(row.id) ?? 0,
  }));
}

async function summaryOf(userId: string, id: string): Promise<ConversationSummary> {
  const row = await getConversationById({ db: getDb(), id, userId });
  if (!row) throw notFound("Conversation");
  const [summary] = await summaries([row]);
  return summary!;
}

export async function handleListConversations(userId: string, query: { cursor?: string; q?: string }): Promise<ConversationPage> {
  const { rows, nextCursor } = await listConversations({ db: getDb(), userId, cursor: query.cursor, q: query.q, limit: PAGE_SIZE });
  const conversations = await summaries(rows);
  const term = query.q;
  if (term) {
    await Promise.all(
      conversations.map(async (conversation) => {
        const turnId = await latestMatchingTurnId(getDb(), conversation.id, term);
        const session = new PrismaSession({ sessionId: conversation.id, userId, db: getDb() });
        conversation.matchedBranchId = turnId ? ((await session.branchesReaching([turnId])).get(turnId) ?? null) : null;
      }),
    );
  }
  return { conversations, nextCursor };
}

export async function handleCreateConversation(userId: string, body: { title?: string }): Promise<ConversationSummary> {
  const session = new PrismaSession({ userId, db: getDb() });
  await session.ensureConversation({ title: body.title ?? null });
  return summaryOf(userId, await session.getSessionId());
}

export async function handleGetConversation(userId: string, id: string, page: TurnPage): Promise<ConversationDetail> {
  const session = await ownedSession(userId, id);
  const activeBranchId = await session.getCurrentBranchId();
  const [summary, branches, { turns, earlier }, row] = await Promise.all([
    summaryOf(userId, id),
    branchInfos(session),
    turnViews(session, activeBranchId, page),
    getConversationById({ db: getDb(), id, userId }),
  ]);
  return {
    ...summary,
    activeBranchId,
    branches,
    turns,
    earlierTurns: earlier,
    forkedFrom:
      row?.forkedFromConversationId && row.forkedFromTurnId
        ? { conversationId: row.forkedFromConversationId, turnId: row.forkedFromTurnId }
        : null,
    systemPrompt: (await getConversationSystemPrompt({ db: getDb(), id, userId })) ?? null,
    budgetMicros: (await getConversationBudget({ db: getDb(), id, userId })) ?? null,
  };
}

/** Renames a conversation and/or sets its own system prompt (null: the user's default applies again) and budget (null: none). */
export async function handleUpdateConversation(
  userId: string,
  id: string,
  body: { title?: string; systemPrompt?: string | null; budgetMicros?: number | null },
): Promise<ConversationSummary & { systemPrompt: string | null; budgetMicros: number | null }> {
  if (body.title !== undefined && !(await renameConversation({ db: getDb(), id, userId, title: body.title }))) throw notFound("Conversation");
  if (body.systemPrompt !== undefined && !(await setConversationSystemPrompt({ db: getDb(), id, userId, systemPrompt: body.systemPrompt }))) {
    throw notFound("Conversation");
  }
  if (body.budgetMicros !== undefined && !(await setConversationBudget({ db: getDb(), id, userId, budgetMicros: body.budgetMicros }))) throw notFound("Conversation");
  const [summary, systemPrompt, budgetMicros] = await Promise.all([
    summaryOf(userId, id),
    getConversationSystemPrompt({ db: getDb(), id, userId }),
    getConversationBudget({ db: getDb(), id, userId }),
  ]);
  return { ...summary, systemPrompt: systemPrompt ?? null, budgetMicros: budgetMicros ?? null };
}

const DEFAULT_SETTINGS: UserSettings = {
  theme: "system",
  defaultModel: null,
  systemPrompt: null,
  temperature: null,
  maxOutputTokens: null,
  monthlyBudgetMicros: null,
  updatedAt: null,
};

function toUserSettings(row: Awaited<ReturnType<typeof getUserSettings>>): UserSettings {
  if (!row) return DEFAULT_SETTINGS;
  const theme = row.theme === "light" || row.theme === "dark" ? row.theme : "system";
  return { ...row, theme, updatedAt: row.updatedAt.toISOString() };
}

export async function handleGetSettings(userId: string): Promise<UserSettings> {
  return toUserSettings(await getUserSettings({ db: getDb(), userId }));
}

/** Saves the given settings; a default model must be one this server offers. */
export async function handleUpdateSettings(userId: string, patch: UserSettingsPatch): Promise<UserSettings> {
  if (patch.defaultModel && !modelCatalog().models.some((model) => model.id === patch.defaultModel)) {
    throw new AppError(400, "unknown_model", `Model "${patch.defaultModel}" is not offered by this server.`);
  }
  return toUserSettings(await saveUserSettings({ db: getDb(), userId, patch }));
}

export async function handleDeleteConversation(userId: string, id: string): Promise<void> {
  const session = await ownedSession(userId, id);
  await session.deleteConversation();
}

export function resolveModel(requested: string | undefined, userDefault: string | null): string {
  const model = resolveTurnModel(requested, userDefault);
  if (!model) throw new AppError(400, "unknown_model", `Model "${requested}" is not offered by this server.`);
  return model;
}

/** Stores the user's message as a new turn, then streams the run as Server-Sent Events. */
export async function handleStartTurn(
  requester: TurnRequester,
  id: string,
  body: { message: string; branchId?: string; model?: string },
  requestSignal: AbortSignal,
): Promise<Response> {
  const { userId } = requester;
  const session = await ownedSession(userId, id);
  const [preferences, conversationSystemPrompt] = await Promise.all([getUserSettings({ db: getDb(), userId }), getConversationSystemPrompt({ db: getDb(), id, userId })]);
  const modelId = resolveModel(body.model, preferences?.defaultModel ?? null);
  await enforceTurnLimits(requester);
  const userItem = userMessage(body.message);
  const settings = resolveTurnSettings({
    conversationSystemPrompt: conversationSystemPrompt ?? null,
    userSystemPrompt: preferences?.systemPrompt ?? null,
    temperature: preferences?.temperature ?? null,
    maxOutputTokens: preferences?.maxOutputTokens ?? null,
  });
  await enforceBudgets({ userId, conversationId: id, turnCostMicros: async () => (await estimateNextTurn({ session, branchId: body.branchId, userItem, instructions: settings.instructions, model: modelId })).costMicros });
  const turn = await session.beginTurn(userItem, {
    branchId: body.branchId,
    model: modelId,
    settings,
    runnerId: RUNNER_ID,
    staleAfterMs: env().FORKLINE_STALE_TURN_MS,
  });
  await countGuestTurn(requester, turn.turnId);
  return streamTurn(session, turn, userItem, modelId, settings, requestSignal);
}

/** A new sibling answer for turn `n` of the active branch, on a new branch, sent what turn `n` was sent (docs/settings.md). */
export async function handleRegenerate(
  requester: TurnRequester,
  id: string,
  body: { turnNumber: number; model?: string },
  requestSignal: AbortSignal,
): Promise<Response> {
  const { userId } = requester;
  const session = await ownedSession(userId, id);
  const preferences = await getUserSettings({ db: getDb(), userId });
  const modelId = resolveModel(body.model, preferences?.defaultModel ?? null);
  await enforceTurnLimits(requester);
  const turns = await session.getConversationTurns();
  const target = turns.find((turn) => turn.turn === body.turnNumber);
  if (!target) throw new TurnNotFoundError(String(body.turnNumber));
  const [firstItem] = await session.getTurnItems(target.turnId);
  const userItem = firstItem ?? userMessage(target.fullContent);
  const settings = replayTurnSettings(await getTurnSettings(session.context, target.turnId));
  await enforceBudgets({ userId, conversationId: id, turnCostMicros: async () => (await estimateRegeneration({ session, turnId: target.turnId, userItem, instructions: settings.instructions, model: modelId })).costMicros });
  const branchId = await session.createBranchFromTurn(body.turnNumber);
  const turn = await session.beginTurn(userItem, { branchId, model: modelId, settings, runnerId: RUNNER_ID });
  await countGuestTurn(requester, turn.turnId);
  return streamTurn(session, turn, userItem, modelId, settings, requestSignal);
}

/** The turn is stored and must run whatever happens here: a limit that fails to count it is logged, not fatal. */
async function countGuestTurn(requester: TurnRequester, turnId: string): Promise<void> {
  try {
    await recordGuestTurn(requester, turnId);
  } catch (error) {
    console.error(`could not count guest turn ${turnId} against its address`, error);
  }
}

function streamTurn(
  session: PrismaSession,
  turn: Awaited<ReturnType<PrismaSession["beginTurn"]>>,
  userItem: ReturnType<typeof userMessage>,
  modelId: string,
  settings: TurnSettings,
  requestSignal: AbortSignal,
): Response {
  const stream = createEventStream(requestSignal);
  void runTurn({ session, turn, userItem, modelId, settings, signal: stream.signal, emit: stream.send })
    .catch((error) => {
      console.error("turn runner crashed", error);
      stream.send("turn.failed", { turnId: turn.turnId, error: { code: "internal_error", message: "The server failed while running this turn." } });
    })
    .finally(() => stream.close());
  return stream.response;
}

export async function handleStopTurn(userId: string, id: string, turnId: string): Promise<{ ok: true; local: boolean }> {
  const session = await ownedSession(userId, id);
  await session.requestStop(turnId);
  return { ok: true, local: runningTurns.abort(turnId) };
}

export async function handleListBranches(userId: string, id: string): Promise<BranchInfo[]> {
  return branchInfos(await ownedSession(userId, id));
}

async function branchInfo(session: PrismaSession, branchId: string): Promise<BranchInfo> {
  const branch = (await branchInfos(session)).find((candidate) => candidate.id === branchId);
  if (!branch) throw notFound("Branch");
  return branch;
}

export async function handleCreateBranch(
  userId: string,
  id: string,
  body: { fromTurn: number; inclusive?: boolean; name?: string; fromBranchId?: string },
): Promise<BranchInfo> {
  const session = await ownedSession(userId, id);
  const branchId = await session.createBranchFromTurn(body.fromTurn, { inclusive: body.inclusive, name: body.name, fromBranchId: body.fromBranchId });
  return branchInfo(session, branchId);
}

export async function handleUpdateBranch(
  userId: string,
  id: string,
  branchId: string,
  body: { name?: string; active?: boolean },
): Promise<BranchInfo> {
  const session = await ownedSession(userId, id);
  if (body.name !== undefined) await session.renameBranch(branchId, body.name);
  if (body.active) await session.switchToBranch(branchId);
  return branchInfo(session, branchId);
}

export async function handleDeleteBranch(userId: string, id: string, branchId: string, force: boolean): Promise<void> {
  const session = await ownedSession(userId, id);
  await session.deleteBranch(branchId, { force });
}

export async function handleForkConversation(
  userId: string,
  id: string,
  body: { turnNumber: number; inclusive?: boolean },
): Promise<ConversationSummary> {
  const session = await ownedSession(userId, id);
  const newId = await session.forkToNewConversation(body.turnNumber, { inclusive: body.inclusive });
  // The fork's new turns run with the system prompt its original would use now.
  const systemPrompt = await getConversationSystemPrompt({ db: getDb(), id, userId });
  if (systemPrompt) await setConversationSystemPrompt({ db: getDb(), id: newId, userId, systemPrompt });
  // A fork keeps its original's cap, so forking is not a way around a used-up conversation budget (docs/budgets.md).
  const budgetMicros = await getConversationBudget({ db: getDb(), id, userId });
  if (budgetMicros) await setConversationBudget({ db: getDb(), id: newId, userId, budgetMicros });
  return summaryOf(userId, newId);
}
