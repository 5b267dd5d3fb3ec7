import { NextResponse } from "next/server";
import { isNobody } from "@/lib/auth/current-user";
import { withUser } from "@/lib/http/with-user";

export const dynamic = "force-dynamic";

/** The current user, or `{ user: null }` when the request has no session (a read never creates a guest). */
export const GET = withUser(async (_request, _context, user) => NextResponse.json({ user: isNobody(user) ? null : user }));

/** A session for this browser: creates a guest (and its cookie) when there is none; otherwise just the current user. */
export const POST = withUser(async (_request, _context, user) => NextResponse.json({ user }));
