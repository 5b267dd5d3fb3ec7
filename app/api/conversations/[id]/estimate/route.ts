import { NextResponse } from "next/server";
import { handleEstimateTurn } from "@/lib/conversations/estimate";
import { withUser } from "@/lib/http/with-user";
import { parseWith, readJson } from "@/lib/http/read-json";
import { ConversationParams, EstimateTurnBody, turnBodyLimit } from "../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string }> };

/** The next turn's input tokens and cost for a draft, and the budgets it falls under (`TurnEstimate`). */
export const POST = withUser<Context>(async (request, { params }, user) => {
  const { id } = parseWith(ConversationParams, await params);
  const body = await readJson(request, EstimateTurnBody(), turnBodyLimit());
  return NextResponse.json({ estimate: await handleEstimateTurn(user.id, id, body) });
});
