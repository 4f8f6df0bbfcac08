/**
 * The session over HTTP, for scripts and fetch: GET who is signed in (with the CSRF token that
 * changes must send as X-CSRF-Token), POST `{"email", "password"}` to sign in (sets the
 * session cookie), DELETE to sign out. The pages sign in and out through Server Actions that
 * call the same lib/auth functions.
 */
import { NextResponse } from "next/server";
import { sameSite } from "@/lib/auth/csrf";
import { authorize } from "@/lib/auth/guard";
import { cookieValue, endSession, SESSION_COOKIE, sessionCookieOptions } from "@/lib/auth/sessions";
import { credentialsBody, SIGN_IN_LIMITS, signIn } from "@/lib/auth/sign-in";
import { BODY_LIMITS, parseJson, readBody } from "@/lib/server/body";
import { clientAddress, isHttps } from "@/lib/server/request-facts";
import { getServerRuntime } from "@/lib/server/shared-runtime";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const viewer = await authorize(request, "viewer");
  if (viewer instanceof Response) return viewer;
  return Response.json({ email: viewer.email, role: viewer.role, kind: viewer.kind, csrf_token: viewer.csrfToken });
}

export async function POST(request: Request) {
  if (!sameSite(request.headers, request.url)) return Response.json({ error: "cross-site request refused" }, { status: 403 });
  const bytes = await readBody(request, { limit: BODY_LIMITS.small });
  if (bytes instanceof Response) return bytes;
  const body = credentialsBody.safeParse(parseJson(bytes));
  if (!body.success) return Response.json({ error: 'the body must be JSON {"email": "...", "password": "..."}' }, { status: 400 });
  const { store } = await getServerRuntime();
  const result = await signIn(store, { ...body.data, address: clientAddress(request.headers) });
  if (result.ok === false && result.reason === "rate_limited") {
    return Response.json({ error: result.message }, { status: 429, headers: { "retry-after": String(SIGN_IN_LIMITS.windowMinutes * 60) } });
  }
  if (!result.ok) return Response.json({ error: result.message }, { status: 401 });
  const response = NextResponse.json({ email: result.user.email, role: result.user.role, kind: "user", csrf_token: result.csrfToken });
  response.cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(isHttps(request.headers, request.url), result.expiresAt));
  return response;
}

export async function DELETE(request: Request) {
  const viewer = await authorize(request, "viewer");
  if (viewer instanceof Response) return viewer;
  const { store } = await getServerRuntime();
  await endSession(store, cookieValue(request.headers.get("cookie"), SESSION_COOKIE));
  const response = NextResponse.json({ signed_in: false });
  response.cookies.set(SESSION_COOKIE, "", sessionCookieOptions(isHttps(request.headers, request.url)));
  return response;
}
