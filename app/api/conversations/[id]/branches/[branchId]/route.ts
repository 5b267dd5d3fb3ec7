import { NextResponse } from "next/server";
import { currentUserId } from "@/lib/auth/current-user";
import { handleDeleteBranch, handleUpdateBranch } from "@/lib/conversations/service";
import { withErrorHandling } from "@/lib/http/error-response";
import { parseWith, readJson } from "@/lib/http/read-json";
import { BranchParams, DeleteBranchQuery, UpdateBranchBody } from "../../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string; branchId: string }> };

export const PATCH = withErrorHandling<Context>(async (request, { params }) => {
  const { id, branchId } = parseWith(BranchParams, await params);
  const body = await readJson(request, UpdateBranchBody);
  return NextResponse.json({ branch: await handleUpdateBranch(await currentUserId(request), id, branchId, body) });
});

export const DELETE = withErrorHandling<Context>(async (request, { params }) => {
  const { id, branchId } = parseWith(BranchParams, await params);
  const { force } = parseWith(DeleteBranchQuery, Object.fromEntries(new URL(request.url).searchParams));
  await handleDeleteBranch(await currentUserId(request), id, branchId, force === "1" || force === "true");
  return new Response(null, { status: 204 });
});
