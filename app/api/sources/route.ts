/** GET /api/sources: each configured source with its recent runs (lib/sync/status.ts). */
import { sourcesStatus } from "@/lib/sync/status";
import { answer } from "@/app/api/respond";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return answer(request, "viewer", async ({ config, store }) => Response.json({ sources: await sourcesStatus(config, store) }), "the sources could not be read");
}
