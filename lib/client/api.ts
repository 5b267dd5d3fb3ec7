import type {
  ApiErrorBody,
  BranchInfo,
  ConversationDetail,
  ConversationPage,
  ConversationSummary,
  ConversationUsageReport,
  ModelList,
  TurnEstimate,
  UsageReviewReport,
  UserSettings,
} from "@/lib/api-types";
import { ensureSession } from "./session";

/** Error thrown by every client call: the server's `{ error: { code, message } }`, or a synthetic code. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string";
}

/** Builds an ApiError from a non-2xx response. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (isErrorBody(body)) return new ApiError(body.error.code, body.error.message, response.status);
  return new ApiError(`http_${response.status}`, response.statusText || `Request failed (${response.status})`, response.status);
}

function networkError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DOMException && error.name === "AbortError") return new ApiError("aborted", "Request aborted", 0);
  return new ApiError("network_error", error instanceof Error ? error.message : "Network error", 0);
}

async function request<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  let response: Response;
  try {
    // Reads are answered without a session; only a write may make this browser a guest.
    if (rest.method && rest.method !== "GET") await ensureSession();
    response = await fetch(path, {
      ...rest,
      headers: json === undefined ? headers : { "content-type": "application/json", ...headers },
      body: json === undefined ? rest.body : JSON.stringify(json),
    });
  } catch (error) {
    throw networkError(error);
  }
  if (!response.ok) throw await errorFromResponse(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const enc = encodeURIComponent;

export function listConversations(params: { cursor?: string | null; q?: string }, signal?: AbortSignal): Promise<ConversationPage> {
  const search = new URLSearchParams();
  if (params.cursor) search.set("cursor", params.cursor);
  if (params.q) search.set("q", params.q);
  const query = search.toString();
  return request<ConversationPage>(`/api/conversations${query ? `?${query}` : ""}`, { signal });
}

export async function createConversation(title?: string): Promise<ConversationSummary> {
  const body = await request<{ conversation: ConversationSummary }>("/api/conversations", { method: "POST", json: title ? { title } : {} });
  return body.conversation;
}

/** A conversation with the last page of its active branch's turns, or the page before turn number `before`. */
export async function getConversation(id: string, signal?: AbortSignal, page: { before?: number } = {}): Promise<ConversationDetail> {
  const query = page.before === undefined ? "" : `?before=${page.before}`;
  const body = await request<{ conversation: ConversationDetail }>(`/api/conversations/${enc(id)}${query}`, { signal });
  return body.conversation;
}

export async function renameConversation(id: string, title: string): Promise<ConversationSummary> {
  const body = await request<{ conversation: ConversationSummary }>(`/api/conversations/${enc(id)}`, { method: "PATCH", json: { title } });
  return body.conversation;
}

export function deleteConversation(id: string): Promise<void> {
  return request<void>(`/api/conversations/${enc(id)}`, { method: "DELETE" });
}

export async function forkConversation(id: string, turnNumber: number): Promise<ConversationSummary> {
  const body = await request<{ conversation: ConversationSummary }>(`/api/conversations/${enc(id)}/fork`, { method: "POST", json: { turnNumber } });
  return body.conversation;
}

export async function listBranches(id: string): Promise<BranchInfo[]> {
  const body = await request<{ branches: BranchInfo[] }>(`/api/conversations/${enc(id)}/branches`);
  return body.branches;
}

/** Creates a branch at `fromTurn` (the server makes it active) and returns its id. */
export async function createBranch(id: string, options: { fromTurn: number; inclusive: boolean; name?: string }): Promise<string> {
  const body = await request<{ branch?: { id?: string }; branchId?: string }>(`/api/conversations/${enc(id)}/branches`, {
    method: "POST",
    json: options,
  });
  const branchId = body?.branch?.id ?? body?.branchId;
  if (!branchId) throw new ApiError("bad_response", "The server did not return the new branch", 200);
  return branchId;
}

export async function updateBranch(id: string, branchId: string, patch: { name?: string; active?: boolean }): Promise<BranchInfo> {
  const body = await request<{ branch: BranchInfo }>(`/api/conversations/${enc(id)}/branches/${enc(branchId)}`, { method: "PATCH", json: patch });
  return body.branch;
}

export function deleteBranch(id: string, branchId: string): Promise<void> {
  return request<void>(`/api/conversations/${enc(id)}/branches/${enc(branchId)}?force=1`, { method: "DELETE" });
}

export function stopTurn(id: string, turnId: string): Promise<{ ok: true }> {
  return request<{ ok: true }>(`/api/conversations/${enc(id)}/turns/${enc(turnId)}/stop`, { method: "POST" });
}

export function getConversationUsage(id: string, signal?: AbortSignal): Promise<ConversationUsageReport> {
  return request<ConversationUsageReport>(`/api/conversations/${enc(id)}/usage`, { signal });
}

export function getUsageReview(range: { from: string; to: string }, signal?: AbortSignal): Promise<UsageReviewReport> {
  const search = new URLSearchParams(range);
  return request<UsageReviewReport>(`/api/usage?${search.toString()}`, { signal });
}

export function getModels(signal?: AbortSignal): Promise<ModelList> {
  return request<ModelList>("/api/models", { signal });
}

export async function getSettings(signal?: AbortSignal): Promise<UserSettings> {
  const body = await request<{ settings: UserSettings }>("/api/settings", { signal });
  return body.settings;
}

/** Saves the given settings fields (null clears one) and returns them all. */
export async function updateSettings(patch: Partial<Omit<UserSettings, "updatedAt">>): Promise<UserSettings> {
  const body = await request<{ settings: UserSettings }>("/api/settings", { method: "PATCH", json: patch });
  return body.settings;
}

/** Sets a conversation's own system prompt (null: the user's default applies) and returns the stored value. */
export async function setConversationSystemPrompt(id: string, systemPrompt: string | null): Promise<string | null> {
  const body = await request<{ conversation: { systemPrompt: string | null } }>(`/api/conversations/${enc(id)}`, { method: "PATCH", json: { systemPrompt } });
  return body.conversation.systemPrompt;
}

/** Sets a conversation's budget in micro-dollars (null: none) and returns the stored value. */
export async function setConversationBudget(id: string, budgetMicros: number | null): Promise<number | null> {
  const body = await request<{ conversation: { budgetMicros: number | null } }>(`/api/conversations/${enc(id)}`, { method: "PATCH", json: { budgetMicros } });
  return body.conversation.budgetMicros;
}

/** What the next turn on a branch would send with this draft, its input cost and the budgets in force. */
export async function estimateTurn(id: string, input: { draft: string; branchId?: string; model?: string }, signal?: AbortSignal): Promise<TurnEstimate> {
  const body = await request<{ estimate: TurnEstimate }>(`/api/conversations/${enc(id)}/estimate`, { method: "POST", json: input, signal });
  return body.estimate;
}

/** The request that starts a streamed turn: a new message, or a regenerated answer. */
export type TurnStreamRequest =
  | { kind: "message"; conversationId: string; message: string; branchId?: string; model?: string }
  | { kind: "regenerate"; conversationId: string; turnNumber: number; model?: string };

/** Opens a turn's event stream; throws ApiError when the server refuses before streaming. */
export async function openTurnStream(input: TurnStreamRequest, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const base = `/api/conversations/${enc(input.conversationId)}`;
  const [path, body] =
    input.kind === "message"
      ? [`${base}/turns`, { message: input.message, branchId: input.branchId, model: input.model }]
      : [`${base}/regenerate`, { turnNumber: input.turnNumber, model: input.model }];
  let response: Response;
  try {
    await ensureSession();
    response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    throw networkError(error);
  }
  if (!response.ok) throw await errorFromResponse(response);
  if (!response.body) throw new ApiError("bad_response", "The server sent no stream", response.status);
  return response.body;
}

/** A readable message for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return "Something went wrong";
}
