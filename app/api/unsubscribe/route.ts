import { readUnsubscribeToken } from "@/lib/digest/unsubscribe-token";
import { removeSubscription } from "@/lib/digest/subscriptions";
import { BODY_LIMITS, readBody } from "@/lib/server/body";
import { getServerRuntime } from "@/lib/server/shared-runtime";

export const dynamic = "force-dynamic";

/**
 * POST /api/unsubscribe?token=…: unsubscribes without signing in (the token is signed). It is the
 * List-Unsubscribe target, so mail clients' RFC 8058 one-click POST lands here and gets a plain
 * answer; the confirmation page's form posts here too and is sent back to the page.
 */
export async function POST(request: Request) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const body = await readBody(request, { limit: BODY_LIMITS.small });
  if (body instanceof Response) return body;
  const { store } = await getServerRuntime();
  const subscription = await readUnsubscribeToken(store, token);
  if (!subscription) return Response.json({ error: "this unsubscribe link is not valid" }, { status: 400 });
  await removeSubscription(store, subscription.project, subscription.email);
  if (body.toString("utf8").includes("List-Unsubscribe=One-Click")) return Response.json({ unsubscribed: subscription });
  return seeOther(`/unsubscribe?token=${encodeURIComponent(token)}&done=1`);
}

/** A GET never unsubscribes (mail clients and scanners open links): it shows the confirmation page. */
export async function GET(request: Request) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return seeOther(`/unsubscribe?token=${encodeURIComponent(token)}`);
}

/** A relative Location: behind the custom server request.url does not carry the real host and port. */
function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}
