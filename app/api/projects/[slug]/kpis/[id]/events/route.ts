import { kpiEvents } from "@/lib/report/build";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { respond, windowParameters } from "@/app/api/projects/respond";
import { authorize } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

/** GET /api/projects/SLUG/kpis/ID/events?from=&to=&tz=&dimension=: the events behind one value. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string; id: string }> }) {
  const viewer = await authorize(request, "viewer");
  if (viewer instanceof Response) return viewer;
  const { slug, id } = await params;
  const dimension = new URL(request.url).searchParams.get("dimension") || null;
  return respond(async () => {
    const { store, config } = await getServerRuntime();
    return Response.json(await kpiEvents(store, config, { project: slug, kpi: id, dimension, ...windowParameters(request) }));
  });
}
