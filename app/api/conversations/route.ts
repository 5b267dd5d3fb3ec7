import { NextResponse } from "next/server";
import { handleCreateConversation, handleListConversations } from "@/lib/conversations/service";
import { withUser } from "@/lib/http/with-user";
import { parseWith, readJson } from "@/lib/http/read-json";
import { CreateConversationBody, ListConversationsQuery } from "./schema";

export const dynamic = "force-dynamic";

export const GET = withUser(async (request, _context, user) => {
  const query = parseWith(ListConversationsQuery, Object.fromEntries(new URL(request.url).searchParams));
  return NextResponse.json(await handleListConversations(user.id, query));
});

export const POST = withUser(async (request, _context, user) => {
  const body = await readJson(request, CreateConversationBody);
  const conversation = await handleCreateConversation(user.id, body);
  return NextResponse.json({ conversation }, { status: 201 });
});
