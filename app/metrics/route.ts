/** GET /metrics: KPIs, targets, statuses and source health for Prometheus (lib/metrics/). */
import { handleMetricsRequest } from "@/lib/metrics/http";
import { getServerRuntime } from "@/lib/server/shared-runtime";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request): Promise<Response> {
  const { config, store } = await getServerRuntime();
  return handleMetricsRequest(store, config, request);
}
