import { NextResponse } from "next/server";
import { handleGetSettings, handleUpdateSettings } from "@/lib/conversations/service";
import { withUser } from "@/lib/http/with-user";
import { readJson } from "@/lib/http/read-json";
import { UpdateSettingsBody } from "./schema";

export const dynamic = "force-dynamic";

export const GET = withUser(async (_request, _context, user) => NextResponse.json({ settings: await handleGetSettings(user.id) }));

/** Saves the fields given; null clears one back to its default. */
export const PATCH = withUser(async (request, _context, user) => {
  const body = await readJson(request, UpdateSettingsBody);
  return NextResponse.json({ settings: await handleUpdateSettings(user.id, body) });
});
