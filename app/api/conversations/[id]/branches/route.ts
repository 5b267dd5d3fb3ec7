import { NextResponse } from "next/server";
import { currentUserId } from "@/lib/auth/current-user";
import { handleCreateBranch, handleListBranches } from "@/lib/conversations/service";
import { withErrorHandling } from "@/lib/http/error-response";
import { parseWith, readJson } from "@/lib/http/read-json";
import { ConversationParams, CreateBranchBody } from "../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string }> };

export const GET = withErrorHandling<Context>(async (request, { params }) => {
  const { id } = parseWith(ConversationParams, await params);
  return NextResponse.json({ branches: await handleListBranches(await currentUserId(request), id) });
});

export const POST = withErrorHandling<Context>(async (request, { params }) => {
  const { id } = parseWith(ConversationParams, await params);
  const body = await readJson(request, CreateBranchBody);
  return NextResponse.json({ branch: await handleCreateBranch(await currentUserId(request), id, body) }, { status: 201 });
});
