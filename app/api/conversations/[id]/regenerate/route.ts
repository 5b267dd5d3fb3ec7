import { turnRequester } from "@/lib/conversations/rate-limit";
import { handleRegenerate } from "@/lib/conversations/service";
import { withUser } from "@/lib/http/with-user";
import { parseWith, readJson } from "@/lib/http/read-json";
import { ConversationParams, RegenerateBody } from "../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string }> };

/** A new sibling answer for a turn, on a new branch, streamed like a turn. */
export const POST = withUser<Context>(async (request, { params }, user) => {
  const { id } = parseWith(ConversationParams, await params);
  const body = await readJson(request, RegenerateBody);
  return handleRegenerate(await turnRequester(request, user), id, body, request.signal);
});
