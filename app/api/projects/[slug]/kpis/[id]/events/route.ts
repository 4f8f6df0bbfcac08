import { kpiEvents } from "@/lib/report/events";
import { answer, windowParameters } from "@/app/api/respond";

export const dynamic = "force-dynamic";

/** GET /api/projects/SLUG/kpis/ID/events?from=&to=&tz=&dimension=: the events behind one value. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const dimension = new URL(request.url).searchParams.get("dimension") || null;
  return answer(request, "viewer", async ({ store, config }) =>
    Response.json(await kpiEvents(store, config, { project: slug, kpi: id, dimension, ...windowParameters(request) })),
  );
}
