import { currentUserId } from "@/lib/auth/current-user";
import { handleRegenerate } from "@/lib/conversations/service";
import { withErrorHandling } from "@/lib/http/error-response";
import { parseWith, readJson } from "@/lib/http/read-json";
import { ConversationParams, RegenerateBody } from "../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string }> };

/** A new sibling answer for a turn, on a new branch, streamed like a turn. */
export const POST = withErrorHandling<Context>(async (request, { params }) => {
  const { id } = parseWith(ConversationParams, await params);
  const body = await readJson(request, RegenerateBody);
  return handleRegenerate(await currentUserId(request), id, body, request.signal);
});
