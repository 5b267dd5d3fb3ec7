import type { AgentInputItem } from "@openai/agents";
import type { BranchInfo, CostFigure, MessageView, TurnView, UsageTotals } from "@/lib/api-types";
import { itemMeta, itemText, type PrismaSession } from "@/lib/session";
import { toTotals as totalsOf } from "@/lib/usage/totals";

/** Session usage as the API's totals (the extra fields of session rows dropped). */
export function toTotals(usage: UsageTotals | null): UsageTotals | null {
  return usage ? totalsOf(usage) : null;
}

/** What a person sees of one stored item; null for items with nothing to show. */
export function toMessage(item: AgentInputItem): MessageView | null {
  const meta = itemMeta(item);
  const text = itemText(item);
  if (meta.type === "message" && meta.role === "user") return { kind: "user", text };
  if (meta.type === "message") return { kind: "assistant", text };
  if (meta.type === "reasoning") return text ? { kind: "reasoning", text } : null;
  if (meta.type.endsWith("_result") || meta.type.endsWith("_output")) {
    return { kind: "tool_output", text, toolName: meta.toolName ?? undefined, callId: meta.callId ?? undefined };
  }
  if (meta.type.endsWith("_call")) {
    return { kind: "tool_call", text, toolName: meta.toolName ?? meta.type, callId: meta.callId ?? undefined };
  }
  return null;
}

/** Which turns of a branch to show: the last `limit`, or the last `limit` before turn number `before`. */
export interface TurnPage {
  limit: number;
  before?: number;
}

/** A page of the active branch's turns with their messages, usage and sibling navigation; `earlier` turns precede it. */
export async function turnViews(session: PrismaSession, branchId: string, page: TurnPage): Promise<{ turns: TurnView[]; earlier: number }> {
  const [path, usage] = await Promise.all([session.getConversationTurns(branchId), session.getTurnUsage(undefined, branchId)]);
  const end = page.before === undefined ? path.length : path.findIndex((turn) => turn.turn >= page.before!);
  const upTo = end === -1 ? path.length : end;
  const start = Math.max(0, upTo - page.limit);
  const turns = path.slice(start, upTo);
  // Only the page's items are read: a long branch is never loaded whole for one screen.
  const items = await session.getItemsOfTurns(turns.map((turn) => turn.turnId));
  const messagesByTurn = new Map<string, MessageView[]>();
  const unreadableByTurn = new Map<string, number>();
  for (const { turnId, item } of items) {
    if (!item) {
      unreadableByTurn.set(turnId, (unreadableByTurn.get(turnId) ?? 0) + 1);
      continue;
    }
    const message = toMessage(item);
    if (!message) continue;
    const list = messagesByTurn.get(turnId) ?? [];
    list.push(message);
    messagesByTurn.set(turnId, list);
  }
  const usageByTurn = new Map(usage.map((row) => [row.turnId, row]));
  const alternatives = turns.flatMap((turn) => turn.siblings.turnIds.filter((id) => id !== turn.turnId));
  const branchOf = await session.branchesReaching(alternatives);
  const views = turns.map((turn) => ({
    id: turn.turnId,
    number: turn.turn,
    status: turn.status,
    error: turn.error,
    model: turn.model,
    createdAt: turn.createdAt.toISOString(),
    messages: messagesByTurn.get(turn.turnId) ?? [],
    unreadableItems: unreadableByTurn.get(turn.turnId) ?? 0,
    usage: toTotals(usageByTurn.get(turn.turnId) ?? null),
    siblings: {
      index: turn.siblings.index,
      count: turn.siblings.count,
      options: turn.siblings.turnIds.map((id) => ({ turnId: id, branchId: id === turn.turnId ? branchId : (branchOf.get(id) ?? null) })),
    },
  }));
  return { turns: views, earlier: start };
}

/** The cost parts every list shows; zero for nothing recorded. */
export function costFigure(usage: UsageTotals | null): CostFigure {
  return { costMicros: usage?.costMicros ?? 0, unpricedCalls: usage?.unpricedCalls ?? 0, unpricedModels: usage?.unpricedModels ?? [] };
}

/** Branches with their head turn number and the cost along their path. */
export async function branchInfos(session: PrismaSession): Promise<BranchInfo[]> {
  const branches = await session.listBranches();
  return Promise.all(
    branches.map(async (branch) => ({
      id: branch.id,
      name: branch.name,
      headTurnNumber: branch.headTurnNumber,
      isCurrent: branch.isCurrent,
      forkedFromTurn: branch.forkedFromTurn,
      ...costFigure(await session.getSessionUsage(branch.id)),
      createdAt: branch.createdAt.toISOString(),
    })),
  );
}
