import { NextResponse } from "next/server";
import { isDemoMode } from "@/lib/agent/model-catalog";
import { getDb, getDbHandle } from "@/lib/db";
import { pingDatabase } from "@/lib/db/conversation-queries";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

/** Database and model provider status; 503 when the database does not answer. */
export async function GET() {
  let database: { status: "ok" | "error"; provider: string; error?: string };
  try {
    await pingDatabase(getDb());
    database = { status: "ok", provider: getDbHandle().provider };
  } catch (error) {
    database = { status: "error", provider: getDbHandle().provider, error: (error as Error).message };
  }
  const model = isDemoMode()
    ? { mode: "demo" as const }
    : { mode: env().OPENAI_BASE_URL ? ("compatible" as const) : ("openai" as const), api: env().OPENAI_API_MODE };
  const ok = database.status === "ok";
  return NextResponse.json({ status: ok ? "ok" : "degraded", database, model }, { status: ok ? 200 : 503 });
}
