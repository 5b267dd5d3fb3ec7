import { NextResponse } from "next/server";
import { z } from "zod";
import { handleReprice } from "@/lib/conversations/usage-reports";
import { withUser } from "@/lib/http/with-user";
import { parseWith } from "@/lib/http/read-json";
import { ConversationParams } from "../../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string }> };

const RepriceQuery = z.object({
  model: z.string({ message: "model is required" }).min(1, "model is required").max(200, "model is at most 200 characters"),
  branchId: z.string().min(1).max(64).optional(),
});

/** What the conversation (or one branch's path) would have cost on another model, from the stored token counts. */
export const GET = withUser<Context>(async (request, { params }, user) => {
  const { id } = parseWith(ConversationParams, await params);
  const query = parseWith(RepriceQuery, Object.fromEntries(new URL(request.url).searchParams));
  return NextResponse.json(await handleReprice(user.id, id, query));
});
