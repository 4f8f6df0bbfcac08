import { buildReport } from "@/lib/report/build";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { respond, windowParameters } from "@/app/api/projects/respond";
import { authorize } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

/** GET /api/projects/SLUG/kpis?from=&to=&tz=: the report JSON (interfaces.md). */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const viewer = await authorize(request, "viewer");
  if (viewer instanceof Response) return viewer;
  const { slug } = await params;
  return respond(async () => {
    const { store, config } = await getServerRuntime();
    return Response.json(await buildReport(store, config, { project: slug, ...windowParameters(request) }));
  });
}
