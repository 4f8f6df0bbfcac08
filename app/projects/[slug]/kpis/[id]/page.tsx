import { notFound } from "next/navigation";
import { trendAnnotations } from "@/lib/annotations/store";
import { hasRole } from "@/lib/auth/viewer";
import { findKpi } from "@/lib/kpis/catalog";
import { kpiEvents } from "@/lib/report/events";
import { cachedReport } from "@/lib/report/cache";
import { missingData } from "@/lib/report/missing-data";
import { modelProductionHistory } from "@/lib/report/model-history";
import { groupsByKpi } from "@/lib/report/view";
import { openProjectPage } from "@/lib/server/pages";
import { firstValue } from "@/lib/server/query";
import { chooseWindow, type WindowQuery } from "@/lib/time/window-choice";
import { localDate, shiftDate } from "@/lib/time/window";
import { KpiView } from "@/app/components/kpis/kpi-view";

export const dynamic = "force-dynamic";

type Query = WindowQuery & { dimension?: string | string[] };

/** One KPI: its definition, a larger trend with deployments and incidents, and the exact events behind the value. */
export default async function KpiPage({ params, searchParams }: { params: Promise<{ slug: string; id: string }>; searchParams: Promise<Query> }) {
  const [{ slug, id }, query] = await Promise.all([params, searchParams]);
  const { viewer, config, store, project } = await openProjectPage(slug);
  const kpi = findKpi(id);
  if (!kpi) notFound();
  const choice = chooseWindow(query, project.timezone);
  const { from, to } = choice.window;
  const report = await cachedReport(store, config, { project: slug, from, to });
  const group = groupsByKpi(report.kpis).find((g) => g.id === kpi.id);
  const dimension = firstValue(query.dimension) ?? null;
  const entry = group && [group.entry, ...group.dimensions].find((e) => e.dimension === dimension);
  if (!group || !entry) notFound();
  const drill = await kpiEvents(store, config, { project: slug, kpi: kpi.id, dimension, from, to });
  const notes = missingData(report, project).filter((note) => note.kpi === kpi.id);
  // Which version was live when: what the count of iterations shipped is made of (issue 18).
  const history = kpi.id === "model_iterations_shipped" ? await modelProductionHistory(store, project, new Date(choice.window.end)) : null;
  // The marks of the weeks the trend shows (it ends with the last complete week of the window).
  const annotations = await trendAnnotations(store, config, { project: slug, until: shiftDate(to, 1) });
  // Editors may add a note from the page; everyone sees the marks.
  const noteForm = viewer.kind === "user" && hasRole(viewer, "editor") ? { csrfToken: viewer.csrfToken!, today: localDate(new Date(), project.timezone) } : null;
  return <KpiView project={project} kpi={kpi} choice={choice} group={group} entry={entry} drill={drill} notes={notes} history={history} annotations={annotations} noteForm={noteForm} />;
}
