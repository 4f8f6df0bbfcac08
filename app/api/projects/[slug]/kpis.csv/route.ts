import { buildReport, reportCsv } from "@/lib/report/build";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { respond, windowParameters } from "@/app/api/projects/respond";
import { authorize } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

/** GET /api/projects/SLUG/kpis.csv?from=&to=&tz=: the report as CSV, one row per entry. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const viewer = await authorize(request, "viewer");
  if (viewer instanceof Response) return viewer;
  const { slug } = await params;
  return respond(async () => {
    const { store, config } = await getServerRuntime();
    const report = await buildReport(store, config, { project: slug, ...windowParameters(request) });
    return new Response(reportCsv(report), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${report.project}-kpis-${report.from}-${report.to}.csv"`,
      },
    });
  });
}
