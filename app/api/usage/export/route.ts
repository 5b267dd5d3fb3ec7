import { NextResponse } from "next/server";
import { handleUsageExport } from "@/lib/conversations/usage-reports";
import { withUser } from "@/lib/http/with-user";
import { parseWith } from "@/lib/http/read-json";
import { UsageExportQuery, UsageRange } from "../schema";

export const dynamic = "force-dynamic";

/** The ledger of a date range per conversation, model, day or call, as CSV (a download) or JSON. */
export const GET = withUser(async (request, _context, user) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const { format, group } = parseWith(UsageExportQuery, params);
  const range = parseWith(UsageRange, { from: params.from, to: params.to });
  const { csv, filename, ...table } = await handleUsageExport(user.id, range, group);
  if (format === "json") return NextResponse.json(table);
  return new NextResponse(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
    },
  });
});
