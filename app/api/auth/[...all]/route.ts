import { getAuth } from "@/lib/auth/auth";
import { withAuthCookies } from "@/lib/auth/cookies";
import { rejectCrossOrigin, requireJsonBody } from "@/lib/auth/request-origin";
import { toErrorResponse } from "@/lib/http/error-response";

export const dynamic = "force-dynamic";

const handle = withAuthCookies(async (request: Request) => {
  try {
    rejectCrossOrigin(request);
    requireJsonBody(request);
  } catch (error) {
    return toErrorResponse(error);
  }
  return (await getAuth()).handler(request);
});

/** Better Auth: /api/auth/sign-up/email, /sign-in/email, /sign-out, /get-session, … (same origin, JSON only). */
export const GET = handle;
export const POST = handle;
