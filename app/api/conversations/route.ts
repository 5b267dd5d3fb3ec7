import { NextResponse } from "next/server";
import { currentUserId } from "@/lib/auth/current-user";
import { handleCreateConversation, handleListConversations } from "@/lib/conversations/service";
import { withErrorHandling } from "@/lib/http/error-response";
import { parseWith, readJson } from "@/lib/http/read-json";
import { CreateConversationBody, ListConversationsQuery } from "./schema";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (request) => {
  const query = parseWith(ListConversationsQuery, Object.fromEntries(new URL(request.url).searchParams));
  return NextResponse.json(await handleListConversations(await currentUserId(request), query));
});

export const POST = withErrorHandling(async (request) => {
  const body = await readJson(request, CreateConversationBody);
  const conversation = await handleCreateConversation(await currentUserId(request), body);
  return NextResponse.json({ conversation }, { status: 201 });
});
