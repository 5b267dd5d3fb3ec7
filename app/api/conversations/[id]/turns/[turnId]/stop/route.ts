import { NextResponse } from "next/server";
import { handleStopTurn } from "@/lib/conversations/service";
import { withUser } from "@/lib/http/with-user";
import { parseWith } from "@/lib/http/read-json";
import { TurnParams } from "../../../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string; turnId: string }> };

export const POST = withUser<Context>(async (request, { params }, user) => {
  const { id, turnId } = parseWith(TurnParams, await params);
  return NextResponse.json(await handleStopTurn(user.id, id, turnId));
});
