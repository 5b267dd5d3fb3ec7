import { NextResponse } from "next/server";
import { handleForkConversation } from "@/lib/conversations/service";
import { withUser } from "@/lib/http/with-user";
import { parseWith, readJson } from "@/lib/http/read-json";
import { ConversationParams, ForkConversationBody } from "../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string }> };

/** Forks the active branch at a turn into a new conversation that reads its history through this one. */
export const POST = withUser<Context>(async (request, { params }, user) => {
  const { id } = parseWith(ConversationParams, await params);
  const body = await readJson(request, ForkConversationBody);
  return NextResponse.json({ conversation: await handleForkConversation(user.id, id, body) }, { status: 201 });
});
