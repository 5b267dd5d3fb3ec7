import { NextResponse } from "next/server";
import { handleDeleteConversation, handleGetConversation, handleUpdateConversation } from "@/lib/conversations/service";
import { withUser } from "@/lib/http/with-user";
import { parseWith, readJson } from "@/lib/http/read-json";
import { ConversationParams, UpdateConversationBody } from "../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string }> };

export const GET = withUser<Context>(async (request, { params }, user) => {
  const { id } = parseWith(ConversationParams, await params);
  return NextResponse.json({ conversation: await handleGetConversation(user.id, id) });
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
