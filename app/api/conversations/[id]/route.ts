import { NextResponse } from "next/server";
import { currentUserId } from "@/lib/auth/current-user";
import { handleDeleteConversation, handleGetConversation, handleRenameConversation } from "@/lib/conversations/service";
import { withErrorHandling } from "@/lib/http/error-response";
import { parseWith, readJson } from "@/lib/http/read-json";
import { ConversationParams, UpdateConversationBody } from "../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string }> };

export const GET = withErrorHandling<Context>(async (request, { params }) => {
  const { id } = parseWith(ConversationParams, await params);
  return NextResponse.json({ conversation: await handleGetConversation(await currentUserId(request), id) });
});

export const PATCH = withErrorHandling<Context>(async (request, { params }) => {
  const { id } = parseWith(ConversationParams, await params);
  const body = await readJson(request, UpdateConversationBody);
  return NextResponse.json({ conversation: await handleRenameConversation(await currentUserId(request), id, body.title) });
});

export const DELETE = withErrorHandling<Context>(async (request, { params }) => {
  const { id } = parseWith(ConversationParams, await params);
  await handleDeleteConversation(await currentUserId(request), id);
  return new Response(null, { status: 204 });
});
