/** GET /api/sources: each configured source with its recent runs (lib/sources-status.ts). */
import { getServerRuntime } from "../../../lib/server-runtime";
import { sourcesStatus } from "../../../lib/sources-status";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const { config, store } = await getServerRuntime();
  return Response.json({ sources: await sourcesStatus(config, store) });
}
