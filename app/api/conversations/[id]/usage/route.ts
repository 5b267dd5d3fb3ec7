import { NextResponse } from "next/server";
import { handleConversationUsage } from "@/lib/conversations/usage-reports";
import { withUser } from "@/lib/http/with-user";
import { parseWith } from "@/lib/http/read-json";
import { ConversationParams } from "../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string }> };

export const GET = withUser<Context>(async (request, { params }, user) => {
  const { id } = parseWith(ConversationParams, await params);
  return NextResponse.json(await handleConversationUsage(user.id, id));
});
