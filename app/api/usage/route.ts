import { NextResponse } from "next/server";
import { z } from "zod";
import { handleUsageReview } from "@/lib/conversations/usage-reports";
import { withUser } from "@/lib/http/with-user";
import { parseWith } from "@/lib/http/read-json";
import { BoundedIsoDay } from "@/lib/validation/bounds";

export const dynamic = "force-dynamic";

const UsageQuery = z
  .object({ from: BoundedIsoDay("from").optional(), to: BoundedIsoDay("to").optional() })
  .transform(({ from, to }) => {
    const end = to ? new Date(`${to}T00:00:00Z`) : new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z");
    const start = from ? new Date(`${from}T00:00:00Z`) : new Date(end.getTime() - 29 * 24 * 60 * 60 * 1000);
    return { from: start, to: end };
  })
  .refine((range) => range.from.getTime() <= range.to.getTime(), "from must not be after to");

/** Spend per conversation, day and model over a date range (default: the last 30 days). */
export const GET = withUser(async (request, _context, user) => {
  const range = parseWith(UsageQuery, Object.fromEntries(new URL(request.url).searchParams));
  return NextResponse.json(await handleUsageReview(user.id, range));
});
