import { invalidInput } from "@/lib/errors/user-error";
import { cachedTrends } from "@/lib/report/cache";
import { trendsQuery } from "@/lib/report/trends";
import { answer } from "@/app/api/respond";

export const dynamic = "force-dynamic";


/**
 * GET /api/projects/SLUG/trends?weeks=&until=&kpis=a,b: each KPI's weekly project-level value,
 * the target in force each week and the week's sample size (lib/report/trends.ts), cached while the
 * data is unchanged. The dashboard's charts load it after the page, because 16 KPIs × 26 weeks
 * take too long to hold the page back.
 */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return answer(request, "viewer", async ({ store, config }) => {
    const parsed = trendsQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw invalidInput(parsed.error);
    const { weeks, until, kpis } = parsed.data;
    return Response.json(await cachedTrends(store, config, { project: slug, weeks, until, kpis: kpis?.split(",") }));
  });
}
