import { authorize } from "@/lib/auth/guard";
import { ReportError } from "@/lib/report/build";
import { cachedTrends } from "@/lib/report/cache";
import { trendsQuery } from "@/lib/report/trends";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { respond } from "@/app/api/projects/respond";

export const dynamic = "force-dynamic";


/**
 * GET /api/projects/SLUG/trends?weeks=&until=&kpis=a,b: each KPI's weekly project-level value,
 * the target in force each week and the week's sample size (lib/report/trends.ts), cached while the
 * data is unchanged. The dashboard's charts load it after the page, because 16 KPIs × 26 weeks
 * take too long to hold the page back.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const viewer = await authorize(request, "viewer");
  if (viewer instanceof Response) return viewer;
  const { slug } = await params;
  return respond(async () => {
    const parsed = trendsQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      throw new ReportError(`${issue!.path.join(".")}: ${issue!.message}`, "bad_request");
    }
    const { weeks, until, kpis } = parsed.data;
    const { store, config } = await getServerRuntime();
    return Response.json(await cachedTrends(store, config, { project: slug, weeks, until, kpis: kpis?.split(",") }));
  });
}
