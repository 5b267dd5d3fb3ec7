import { NextResponse } from "next/server";
import { currentUserId } from "@/lib/auth/current-user";
import { handleConversationUsage } from "@/lib/conversations/service";
import { withErrorHandling } from "@/lib/http/error-response";
import { parseWith } from "@/lib/http/read-json";
import { ConversationParams } from "../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string }> };

export const GET = withErrorHandling<Context>(async (request, { params }) => {
  const { id } = parseWith(ConversationParams, await params);
  return NextResponse.json(await handleConversationUsage(await currentUserId(request), id));
});
