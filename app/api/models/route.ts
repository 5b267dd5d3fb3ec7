import { NextResponse } from "next/server";
import { modelCatalog } from "@/lib/agent/model-catalog";
import { withErrorHandling } from "@/lib/http/error-response";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async () => NextResponse.json(modelCatalog()));
