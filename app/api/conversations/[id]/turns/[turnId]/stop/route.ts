import { NextResponse } from "next/server";
import { currentUserId } from "@/lib/auth/current-user";
import { handleStopTurn } from "@/lib/conversations/service";
import { withErrorHandling } from "@/lib/http/error-response";
import { parseWith } from "@/lib/http/read-json";
import { TurnParams } from "../../../../schema";

export const dynamic = "force-dynamic";
type Context = { params: Promise<{ id: string; turnId: string }> };

export const POST = withErrorHandling<Context>(async (request, { params }) => {
  const { id, turnId } = parseWith(TurnParams, await params);
  return NextResponse.json(await handleStopTurn(await currentUserId(request), id, turnId));
});
