// Plain projection types shared by route handlers and client components (never Prisma rows).

export type TurnStatus = "in_progress" | "completed" | "stopped" | "failed" | "interrupted";

/** Token counts and cost: `costMicros` is the known part, `unpricedCalls` the calls with no price (lib/usage/totals.ts). */
export type { UsageTotals } from "@/lib/usage/totals";
import type { UsageTotals } from "@/lib/usage/totals";

/** A cost as every list shows it: the known micro-dollars plus the calls with no known price and their models. */
export interface CostFigure {
  costMicros: number;
  unpricedCalls: number;
  unpricedModels: string[];
}

/** A conversation in the sidebar; its cost is its whole ledger (deleted branches and the title call included). */
export interface ConversationSummary extends CostFigure {
  id: string;
  title: string | null;
  createdAt: string;
  updatedAt: string;
  turnCount: number;
  /** With a search: a branch that holds the newest matching message (open the conversation on it). */
  matchedBranchId?: string | null;
}

export interface ConversationPage {
  conversations: ConversationSummary[];
  nextCursor: string | null;
}

export type MessageKind = "user" | "assistant" | "tool_call" | "tool_output" | "reasoning";

export interface MessageView {
  kind: MessageKind;
  text: string;
  toolName?: string;
  callId?: string;
}

export interface SiblingOption {
  turnId: string;
  branchId: string | null;
}

export interface TurnView {
  id: string;
  number: number;
  status: TurnStatus;
  error: { code: string; message: string } | null;
  model: string | null;
  createdAt: string;
  messages: MessageView[];
  /** Stored items of this turn that could not be read (damaged rows: reported, never fatal). */
  unreadableItems: number;
  usage: UsageTotals | null;
  siblings: { index: number; count: number; options: SiblingOption[] };
}

/** A branch; its cost is the path from the root to its head (conversation overhead such as the title excluded). */
export interface BranchInfo extends CostFigure {
  id: string;
  name: string;
  headTurnNumber: number;
  isCurrent: boolean;
  forkedFromTurn: number | null;
  createdAt: string;
}

export interface ConversationDetail extends ConversationSummary {
  activeBranchId: string;
  branches: BranchInfo[];
  /** The last turns of the active branch (a page: `?turns=` of them, before `?before=` when given). */
  turns: TurnView[];
  /** How many turns of the branch come before `turns` (fetch them with `?before=<first turn's number>`). */
  earlierTurns: number;
  forkedFrom: { conversationId: string; turnId: string } | null;
  /** This conversation's own system prompt; null = the user's default applies. */
  systemPrompt?: string | null;
  /** This conversation's spend cap in micro-dollars (PATCH `{ budgetMicros }`); null = none. */
  budgetMicros?: number | null;
}

export type Theme = "system" | "light" | "dark";

/** A user's settings (`GET|PATCH /api/settings`); null = not set (the server's or provider's default). */
export interface UserSettings {
  theme: Theme;
  defaultModel: string | null;
  systemPrompt: string | null;
  temperature: number | null;
  maxOutputTokens: number | null;
  /** Spend cap per calendar month (UTC) over all the user's calls, in micro-dollars; null = none. */
  monthlyBudgetMicros: number | null;
  updatedAt: string | null;
}

export interface ModelOption {
  id: string;
  label: string;
  demo: boolean;
}

export interface ModelList {
  models: ModelOption[];
  defaultModel: string;
}

/** Server-Sent Events of a turn, by event name. */
export interface TurnEvents {
  "turn.started": { turnId: string; turnNumber: number; branchId: string; model: string };
  "text.delta": { delta: string };
  "tool.called": { callId: string; toolName: string; arguments: string };
  "tool.output": { callId: string; output: string };
  /** `costMicros` is the known part of `usage` (null when no usage was recorded). */
  "turn.completed": { turnId: string; usage: UsageTotals | null; costMicros: number | null };
  "turn.failed": { turnId: string; error: { code: string; message: string } };
  /** `error` is set when the runner ended the turn itself, e.g. `reply_capped` at FORKLINE_MAX_REPLY_CHARS. */
  "turn.stopped": { turnId: string; usage: UsageTotals | null; error?: { code: string; message: string } };
  /** Sent after the first exchange when the conversation got its title. */
  "conversation.updated": { title: string };
}

export type TurnEventName = keyof TurnEvents;

export interface ApiErrorBody {
  error: { code: string; message: string };
}

export interface BranchUsageView {
  branchId: string;
  name: string;
  isCurrent: boolean;
  forkedFromTurn: number | null;
  inherited: UsageTotals | null;
  own: UsageTotals | null;
  total: UsageTotals | null;
  /** Cached input tokens ÷ input tokens along the path (null with no input). */
  cacheHitRate: number | null;
}

/** One model call of a turn (a ledger row). `overhead` calls (the title) count for the conversation, not the turn. */
export interface UsageCallView {
  id: number;
  /** "turn" for the answer and follow-up calls after tools, "title", "compaction", "memory", … */
  purpose: string;
  /** What a person reads: "answer", "follow-up after tools", "title (conversation overhead)", … */
  label: string;
  model: string | null;
  overhead: boolean;
  createdAt: string;
  usage: UsageTotals;
}

/** One turn of the active branch in the usage panel: its total (overhead excluded) and every call it made. */
export interface TurnUsageView {
  turn: number;
  turnId: string;
  models: string[];
  usage: UsageTotals;
  calls: UsageCallView[];
}

/** GET /api/conversations/:id/usage */
export interface ConversationUsageReport {
  /** The conversation's whole ledger: what was really paid, each call once; never lowered by a deletion. */
  total: UsageTotals | null;
  /** Calls of the conversation itself (the title), not inherited by forks. */
  overhead: UsageTotals | null;
  /** Calls whose turns were deleted (deleted branches, popped turns): still paid, still in `total`. */
  deletedBranches: UsageTotals | null;
  cacheHitRate: number | null;
  branches: BranchUsageView[];
  /** Turns of the active branch, in order. */
  turns: TurnUsageView[];
  models: { model: string; usage: UsageTotals }[];
}

/** GET /api/conversations/:id/usage/reprice?model&branchId — what the same token counts would cost on another model. */
export interface RepriceReport {
  model: string;
  /** The branch whose path was re-priced; null = the whole conversation. */
  branchId: string | null;
  actual: UsageTotals | null;
  /** Null when `model` has no known price. */
  repricedMicros: number | null;
  priceFrom: string | null;
}

/** One spending cap and how much of it is used; `spentMicros` is the known part of the ledger it covers. */
export interface BudgetStatus {
  /** "conversation": this conversation's whole ledger; "month": the user's calls this calendar month (UTC). */
  scope: "conversation" | "month";
  limitMicros: number;
  spentMicros: number;
}

/** POST /api/conversations/:id/estimate — what the next turn on a branch would send, before it is sent. */
export interface TurnEstimate {
  model: string;
  /** Tokens of the instructions, the history actually sent (after the history limit) and the draft. */
  inputTokens: number;
  /** The input's cost at the model's current price; null when the model has no price. */
  costMicros: number | null;
  budgets: BudgetStatus[];
}

/** GET /api/usage?from&to (ISO dates, inclusive) */
export interface UsageReviewReport {
  from: string;
  to: string;
  /** Every call in the range, deleted conversations included: the total never moves backwards. */
  total: UsageTotals | null;
  /** Conversations that still exist. */
  conversations: { id: string; title: string | null; usage: UsageTotals }[];
  /** Calls of conversations deleted since, as one line. */
  deletedConversations: UsageTotals | null;
  days: { date: string; usage: UsageTotals }[];
  models: { model: string; usage: UsageTotals }[];
}
