import { turnRequester } from "@/lib/conversations/rate-limit";
import { handleStartTurn } from "@/lib/conversations/service";
import { withUser } from "@/lib/http/with-user";
import { parseWith, readJson } from "@/lib/http/read-json";
import { ConversationParams, StartTurnBody, turnBodyLimit } from "../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string }> };

/** Runs one agent turn and streams it as Server-Sent Events. */
export const POST = withUser<Context>(async (request, { params }, user) => {
  const { id } = parseWith(ConversationParams, await params);
  const body = await readJson(request, StartTurnBody(), turnBodyLimit());
  return handleStartTurn(await turnRequester(request, user), id, body, request.signal);
});
