/** POST /api/webhooks/github: GitHub webhook deliveries (interfaces.md). The work is in lib/. */
import { processScheduler } from "@/lib/scheduler/process";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { receiveGithubDelivery } from "@/lib/webhooks/github";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  // The raw bytes are what GitHub signed: read them before any parsing.
  const body = await request.text();
  const answer = await receiveGithubDelivery(await getServerRuntime(), request.headers, body, (repo) => processScheduler()?.requestSync("github", repo));
  return Response.json(answer.body, { status: answer.status });
}
