import { getAuth } from "@/lib/auth/auth";

export const dynamic = "force-dynamic";

/** Better Auth: /api/auth/sign-up/email, /sign-in/email, /sign-out, /get-session, … */
export async function GET(request: Request) {
  return (await getAuth()).handler(request);
}

export async function POST(request: Request) {
  return (await getAuth()).handler(request);
}
