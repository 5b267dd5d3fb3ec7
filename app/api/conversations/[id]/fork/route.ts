import { NextResponse } from "next/server";
import { currentUserId } from "@/lib/auth/current-user";
import { handleForkConversation } from "@/lib/conversations/service";
import { withErrorHandling } from "@/lib/http/error-response";
import { parseWith, readJson } from "@/lib/http/read-json";
import { ConversationParams, ForkConversationBody } from "../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string }> };

/** Forks the active branch at a turn into a new conversation that reads its history through this one. */
export const POST = withErrorHandling<Context>(async (request, { params }) => {
  const { id } = parseWith(ConversationParams, await params);
  const body = await readJson(request, ForkConversationBody);
  return NextResponse.json({ conversation: await handleForkConversation(await currentUserId(request), id, body) }, { status: 201 });
});
