import { NextResponse } from "next/server";
import { withUser } from "@/lib/http/with-user";

export const dynamic = "force-dynamic";

/** The current user; a first visit gets a guest (and its cookie) here, before the UI makes other calls. */
export const GET = withUser(async (_request, _context, user) => NextResponse.json({ user }));
