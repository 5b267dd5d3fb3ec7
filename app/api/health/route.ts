import { NextResponse } from "next/server";
import { checkHealth } from "@/lib/health/check-health";

export const dynamic = "force-dynamic";

/** ok / degraded (200) or down (503): what a load balancer and an operator need, without error details. */
export async function GET() {
  const report = await checkHealth();
  return NextResponse.json(report, { status: report.status === "down" ? 503 : 200, headers: { "cache-control": "no-store" } });
}
