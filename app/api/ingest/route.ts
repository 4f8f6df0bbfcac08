/** POST /api/ingest: deployment-log records over HTTP (inputs.md). The work is in lib/. */
import { handleIngestRequest } from "@/lib/ingest/http";
import { getServerRuntime } from "@/lib/server/shared-runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  return handleIngestRequest(await getServerRuntime(), request);
}
