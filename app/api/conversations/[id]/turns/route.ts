import { currentUserId } from "@/lib/auth/current-user";
import { handleStartTurn } from "@/lib/conversations/service";
import { withErrorHandling } from "@/lib/http/error-response";
import { parseWith, readJson } from "@/lib/http/read-json";
import { ConversationParams, StartTurnBody, turnBodyLimit } from "../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string }> };

/** Runs one agent turn and streams it as Server-Sent Events. */
export const POST = withErrorHandling<Context>(async (request, { params }) => {
  const { id } = parseWith(ConversationParams, await params);
  const body = await readJson(request, StartTurnBody(), turnBodyLimit());
  return handleStartTurn(await currentUserId(request), id, body, request.signal);
});
