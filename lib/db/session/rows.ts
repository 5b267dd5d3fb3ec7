import type { Row } from "../sql-store.ts";

/** A stored turn (or compaction node). */
export interface TurnRow {
  id: string;
  conversationId: string;
  parentId: string | null;
  depth: number;
  kind: "turn" | "compaction";
  compactionAt: number | null;
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
  model: string | null;
  itemCount: number;
  stopRequested: boolean;
  runnerId: string | null;
  heartbeatAt: Date | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** A stored branch or snapshot. */
export interface BranchRow {
  id: string;
  conversationId: string;
  name: string;
  kind: "branch" | "snapshot";
  headTurnId: string | null;
  baseTurnId: string | null;
  forkedFromTurnId: string | null;
  clearedHeadTurnId: string | null;
  snapshotOfBranchId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A stored item: its queryable columns and its (possibly encrypted) JSON. */
export interface ItemRow {
  id: number;
  turnId: string;
  position: number;
  type: string;
  role: string | null;
  toolName: string | null;
  callId: string | null;
  content: string;
}

/** A stored conversation's own columns. */
export interface ConversationRow {
  id: string;
  userId: string;
  title: string | null;
  activeBranchId: string | null;
  historyLimit: number | null;
  forkedFromConversationId: string | null;
  forkedFromTurnId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const str = (value: unknown): string => String(value);
export const optStr = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
export const num = (value: unknown): number => Number(value ?? 0);
export const optNum = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
export const bool = (value: unknown): boolean => value === true || value === 1 || value === 1n || value === "1" || value === "true";
export const date = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
export const optDate = (value: unknown): Date | null => (value === null || value === undefined ? null : date(value));

export const TURN_COLUMNS = `"id", "conversationId", "parentId", "depth", "kind", "compactionAt", "status", "errorCode", "errorMessage", "model",
  "itemCount", "stopRequested", "runnerId", "heartbeatAt", "createdAt", "completedAt"`;

export function toTurn(row: Row): TurnRow {
  return {
    id: str(row.id),
    conversationId: str(row.conversationId),
    parentId: optStr(row.parentId),
    depth: num(row.depth),
    kind: row.kind === "compaction" ? "compaction" : "turn",
    compactionAt: optNum(row.compactionAt),
    status: str(row.status),
    errorCode: optStr(row.errorCode),
    errorMessage: optStr(row.errorMessage),
    model: optStr(row.model),
    itemCount: num(row.itemCount),
    stopRequested: bool(row.stopRequested),
    runnerId: optStr(row.runnerId),
    heartbeatAt: optDate(row.heartbeatAt),
    createdAt: date(row.createdAt),
    // A turn stored complete (not run through the lifecycle) keeps no separate completion time: it is its creation.
    completedAt: optDate(row.completedAt) ?? (row.status === "in_progress" ? null : date(row.createdAt)),
  };
}

export const BRANCH_COLUMNS = `"id", "conversationId", "name", "kind", "headTurnId", "baseTurnId", "forkedFromTurnId", "clearedHeadTurnId",
  "snapshotOfBranchId", "createdAt", "updatedAt"`;

export function toBranch(row: Row): BranchRow {
  return {
    id: str(row.id),
    conversationId: str(row.conversationId),
    name: str(row.name),
    kind: row.kind === "snapshot" ? "snapshot" : "branch",
    headTurnId: optStr(row.headTurnId),
    baseTurnId: optStr(row.baseTurnId),
    forkedFromTurnId: optStr(row.forkedFromTurnId),
    clearedHeadTurnId: optStr(row.clearedHeadTurnId),
    snapshotOfBranchId: optStr(row.snapshotOfBranchId),
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
  };
}

export const ITEM_COLUMNS = `"id", "turnId", "position", "type", "role", "toolName", "callId", "content"`;

export function toItem(row: Row): ItemRow {
  return {
    id: num(row.id),
    turnId: str(row.turnId),
    position: num(row.position),
    type: str(row.type),
    role: optStr(row.role),
    toolName: optStr(row.toolName),
    callId: optStr(row.callId),
    content: str(row.content),
  };
}

export function toConversation(row: Row): ConversationRow {
  return {
    id: str(row.id),
    userId: str(row.userId),
    title: optStr(row.title),
    activeBranchId: optStr(row.activeBranchId),
    historyLimit: optNum(row.historyLimit),
    forkedFromConversationId: optStr(row.forkedFromConversationId),
    forkedFromTurnId: optStr(row.forkedFromTurnId),
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
  };
}
