import { NextResponse } from "next/server";
import { handleCreateBranch, handleListBranches } from "@/lib/conversations/service";
import { withUser } from "@/lib/http/with-user";
import { parseWith, readJson } from "@/lib/http/read-json";
import { ConversationParams, CreateBranchBody } from "../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string }> };

export const GET = withUser<Context>(async (request, { params }, user) => {
  const { id } = parseWith(ConversationParams, await params);
  return NextResponse.json({ branches: await handleListBranches(user.id, id) });
});

export const POST = withUser<Context>(async (request, { params }, user) => {
  const { id } = parseWith(ConversationParams, await params);
  const body = await readJson(request, CreateBranchBody);
  return NextResponse.json({ branch: await handleCreateBranch(user.id, id, body) }, { status: 201 });
});
