import { NextResponse } from "next/server";
import { z } from "zod";
import { EnvError } from "@/lib/env";
import { SessionError } from "@/lib/session";
import { AppError } from "./app-error";
import { storageErrorOf } from "./storage-error";

const SESSION_STATUS: Record<string, number> = {
  conversation_not_found: 404,
  turn_not_found: 404,
  branch_not_found: 404,
  branch_name_taken: 409,
  cannot_delete_main: 409,
  branch_is_current: 409,
  turn_in_progress: 409,
  turn_not_running: 409,
  invalid_argument: 400,
};

/** A JSON error body `{ error: { code, message } }`. */
export function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): NextResponse {
  return NextResponse.json({ error: { code, message } }, { status, headers });
}

/** Maps any thrown error to a response; only unexpected (5xx) errors are logged. */
export function toErrorResponse(error: unknown): NextResponse {
  if (error instanceof AppError) return errorResponse(error.status, error.code, error.message, error.headers);
  if (error instanceof SessionError) return errorResponse(SESSION_STATUS[error.code] ?? 400, error.code, error.message);
  if (error instanceof z.ZodError) {
    const first = error.issues[0];
    const where = first?.path.length ? `${first.path.join(".")}: ` : "";
    return errorResponse(400, "invalid_request", `${where}${first?.message ?? "invalid request"}`);
  }
  if ((error as { code?: string })?.code === "content_undecryptable") {
    console.error(error);
    return errorResponse(500, "content_undecryptable", "Stored messages cannot be decrypted with the configured keys (FORKLINE_ENCRYPTION_KEY / FORKLINE_ENCRYPTION_KEYS_OLD).");
  }
  if (error instanceof EnvError) {
    console.error(error.message);
    return errorResponse(500, "misconfigured", error.message);
  }
  const storage = storageErrorOf(error);
  if (storage) {
    console.error(storage.code, error);
    return errorResponse(storage.status, storage.code, storage.message, storage.headers);
  }
  console.error(error);
  return errorResponse(500, "internal_error", "Something went wrong on the server.");
}

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/** Wraps a route handler so every failure becomes a JSON error with a stable code. */
export function withErrorHandling<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}
