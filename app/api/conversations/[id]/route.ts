import { NextResponse } from "next/server";
import { handleDeleteConversation, handleGetConversation, handleUpdateConversation } from "@/lib/conversations/service";
import { withUser } from "@/lib/http/with-user";
import { parseWith, readJson } from "@/lib/http/read-json";
import { ConversationParams, ConversationQuery, UpdateConversationBody } from "../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string }> };

/** The conversation with a page of its active branch's turns (`?turns=&before=`). */
export const GET = withUser<Context>(async (request, { params }, user) => {
  const { id } = parseWith(ConversationParams, await params);
  const { turns, before } = parseWith(ConversationQuery, Object.fromEntries(new URL(request.url).searchParams));
  return NextResponse.json({ conversation: await handleGetConversation(user.id, id, { limit: turns, before }) });
});

export const PATCH = withUser<Context>(async (request, { params }, user) => {
  const { id } = parseWith(ConversationParams, await params);
  const body = await readJson(request, UpdateConversationBody);
  return NextResponse.json({ conversation: await handleUpdateConversation(user.id, id, body) });
});

export const DELETE = withUser<Context>(async (request, { params }, user) => {
  const { id } = parseWith(ConversationParams, await params);
  await handleDeleteConversation(user.id, id);
  return new Response(null, { status: 204 });
});
