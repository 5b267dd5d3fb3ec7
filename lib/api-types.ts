// Plain projection types shared by route handlers and client components (never Prisma rows).

export type TurnStatus = "in_progress" | "completed" | "stopped" | "failed" | "interrupted";

/** Token counts and cost; costMicros is null when some part had no known price (one shape, see lib/usage/totals.ts). */
export type { UsageTotals } from "@/lib/usage/totals";
import type { UsageTotals } from "@/lib/usage/totals";

export interface ConversationSummary {
  id: string;
  title: string | null;
  createdAt: string;
  updatedAt: string;
  costMicros: number | null;
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

export interface BranchInfo {
  id: string;
  name: string;
  headTurnNumber: number;
  isCurrent: boolean;
  forkedFromTurn: number | null;
  costMicros: number | null;
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
}

export type Theme = "system" | "light" | "dark";

/** A user's settings (`GET|PATCH /api/settings`); null = not set (the server's or provider's default). */
export interface UserSettings {
  theme: Theme;
  defaultModel: string | null;
  systemPrompt: string | null;
  temperature: number | null;
  maxOutputTokens: number | null;
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
}

/** GET /api/conversations/:id/usage */
export interface ConversationUsageReport {
  /** Every turn of the conversation once: what was really paid. */
  total: UsageTotals | null;
  branches: BranchUsageView[];
  /** Turns of the active branch, in order. */
  turns: { turn: number; turnId: string; models: string[]; usage: UsageTotals }[];
  models: { model: string; usage: UsageTotals }[];
}

/** GET /api/usage?from&to (ISO dates, inclusive) */
export interface UsageReviewReport {
  from: string;
  to: string;
  total: UsageTotals | null;
  conversations: { id: string; title: string | null; usage: UsageTotals }[];
  days: { date: string; usage: UsageTotals }[];
  models: { model: string; usage: UsageTotals }[];
}
