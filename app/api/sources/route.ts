/** GET /api/sources: each configured source with its recent runs (lib/sync/status.ts). */
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { sourcesStatus } from "@/lib/sync/status";
import { authorize } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const viewer = await authorize(request, "viewer");
  if (viewer instanceof Response) return viewer;
  const { config, store } = await getServerRuntime();
  return Response.json({ sources: await sourcesStatus(config, store) });
}
