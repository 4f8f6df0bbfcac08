import { buildReport } from "@/lib/report/build";
import { answer, windowParameters } from "@/app/api/respond";

export const dynamic = "force-dynamic";

/** GET /api/projects/SLUG/kpis?from=&to=&tz=: the report JSON (interfaces.md). */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return answer(request, "viewer", async ({ store, config }) => Response.json(await buildReport(store, config, { project: slug, ...windowParameters(request) })));
}
