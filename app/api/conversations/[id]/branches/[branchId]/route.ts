import { NextResponse } from "next/server";
import { handleDeleteBranch, handleUpdateBranch } from "@/lib/conversations/service";
import { withUser } from "@/lib/http/with-user";
import { parseWith, readJson } from "@/lib/http/read-json";
import { BranchParams, DeleteBranchQuery, UpdateBranchBody } from "../../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string; branchId: string }> };

export const PATCH = withUser<Context>(async (request, { params }, user) => {
  const { id, branchId } = parseWith(BranchParams, await params);
  const body = await readJson(request, UpdateBranchBody);
  return NextResponse.json({ branch: await handleUpdateBranch(user.id, id, branchId, body) });
});

export const DELETE = withUser<Context>(async (request, { params }, user) => {
  const { id, branchId } = parseWith(BranchParams, await params);
  const { force } = parseWith(DeleteBranchQuery, Object.fromEntries(new URL(request.url).searchParams));
  await handleDeleteBranch(user.id, id, branchId, force === "1" || force === "true");
  return new Response(null, { status: 204 });
});
