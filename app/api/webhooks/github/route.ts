/** POST /api/webhooks/github: GitHub webhook deliveries (interfaces.md). The work is in lib/. */
import { processScheduler } from "@/lib/scheduler/process";
import { BODY_LIMITS, readBody } from "@/lib/server/body";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { receiveGithubDelivery } from "@/lib/webhooks/github";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  // The raw bytes are what GitHub signed: read them (never past GitHub's own limit) before any parsing.
  const body = await readBody(request, { limit: BODY_LIMITS.webhook, hint: "GitHub sends at most 25 MB" });
  if (body instanceof Response) return body;
  const answer = await receiveGithubDelivery(await getServerRuntime(), request.headers, body.toString("utf8"), (repo) => processScheduler()?.requestSync("github", repo));
  return Response.json(answer.body, { status: answer.status });
}
