export type TurnStatus = "in_progress" | "completed" | "stopped" | "failed" | "interrupted";

/** Usage totals; `costMicros` is null when any part had no known price. */
export interface SessionUsage {
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  totalTokens: number;
  costMicros: number | null;
  estimated: boolean;
  turns: number;
}

export interface BranchUsage {
  branchId: string;
  inherited: SessionUsage | null;
  own: SessionUsage | null;
  total: SessionUsage | null;
}

export interface TurnUsageRow {
  turn: number;
  turnId: string;
  models: string[];
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  totalTokens: number;
  costMicros: number | null;
  estimated: boolean;
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
