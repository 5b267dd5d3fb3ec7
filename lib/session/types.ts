import type { UsageTotals } from "@/lib/usage/totals";

export type TurnStatus = "in_progress" | "completed" | "stopped" | "failed" | "interrupted";

/** Usage totals of a conversation or a path, and how many turns they came from. */
export interface SessionUsage extends UsageTotals {
  turns: number;
}

/** Parts of a conversation's ledger that no branch path shows; null when there are none. */
export interface LedgerParts {
  /** Calls made for the conversation itself (the title), counted once, never inherited by forks. */
  overhead: SessionUsage | null;
  /** Calls of turns that were deleted (with a branch, or popped): paid, so still counted in the conversation. */
  deleted: SessionUsage | null;
}

export interface BranchUsage {
  branchId: string;
  inherited: SessionUsage | null;
  own: SessionUsage | null;
  total: SessionUsage | null;
}

/** One model call of a turn as the ledger recorded it; `overhead` calls (the title) are not part of the turn's total. */
export interface UsageCall {
  id: number;
  purpose: string;
  model: string | null;
  overhead: boolean;
  createdAt: Date;
  usage: UsageTotals;
}

/** The usage of one turn (or compaction node, which shares the number of the turn it follows) on a path. */
export interface TurnUsageRow extends UsageTotals {
  turn: number;
  turnId: string;
  kind: "turn" | "compaction";
  models: string[];
  /** Every call recorded on the turn, in order, overhead included. */
  calls: UsageCall[];
}

export interface BranchSummary {
  id: string;
  name: string;
  headTurnNumber: number;
  itemCount: number;
  isCurrent: boolean;
  forkedFromTurn: number | null;
  createdAt: Date;
}

export interface ConversationTurn {
  turn: number;
  turnId: string;
  /** The user message, cut to 100 characters. */
  content: string;
  fullContent: string;
  status: TurnStatus;
  model: string | null;
  error: { code: string; message: string } | null;
  siblings: { index: number; count: number; turnIds: string[] };
  createdAt: Date;
}

/** Calls of one tool in one turn; `toolName` is the full name (namespace, MCP server label, built-in type). */
export interface ToolUsage {
  toolName: string;
  count: number;
  turn: number;
}

export interface StartedTurn {
  turnId: string;
  turnNumber: number;
  branchId: string;
}

/** An item on a path for display: the item, or a row that could not be read (reported, never fatal). */
export type PathEntry =
  | { turnId: string; position: number; item: import("@openai/agents").AgentInputItem; unreadable?: undefined }
  | { turnId: string; position: number; item: null; unreadable: string };
