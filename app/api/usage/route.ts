import { NextResponse } from "next/server";
import { handleUsageReview } from "@/lib/conversations/usage-reports";
import { withUser } from "@/lib/http/with-user";
import { parseWith } from "@/lib/http/read-json";
import { UsageRange } from "./schema";

export const dynamic = "force-dynamic";

/** Spend per conversation (deleted ones as one line), day and model over a date range (default: the last 30 days). */
export const GET = withUser(async (request, _context, user) => {
  const range = parseWith(UsageRange, Object.fromEntries(new URL(request.url).searchParams));
  return NextResponse.json(await handleUsageReview(user.id, range));
});
