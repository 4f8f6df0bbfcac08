import { buildReport } from "@/lib/report/build";
import { reportCsv } from "@/lib/report/csv";
import { answer, windowParameters } from "@/app/api/respond";

export const dynamic = "force-dynamic";

/** GET /api/projects/SLUG/kpis.csv?from=&to=&tz=: the report as CSV, one row per entry. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return answer(request, "viewer", async ({ store, config }) => {
    const report = await buildReport(store, config, { project: slug, ...windowParameters(request) });
    return new Response(reportCsv(report), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${report.project}-kpis-${report.from}-${report.to}.csv"`,
      },
    });
  });
}
