import { trendAnnotations } from "@/lib/annotations/store";
import { missingData } from "@/lib/report/missing-data";
import { cachedReport } from "@/lib/report/cache";
import { openProjectPage } from "@/lib/server/pages";
import { chooseWindow, type WindowQuery } from "@/lib/time/window-choice";
import { shiftDate } from "@/lib/time/window";
import { ProjectView } from "@/app/components/project/project-view";

export const dynamic = "force-dynamic";

/** A project: every KPI with its weekly trend, the DORA bands, and what data is missing. */
export default async function ProjectPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<WindowQuery> }) {
  const { config, store, project } = await openProjectPage((await params).slug);
  const choice = chooseWindow(await searchParams, project.timezone);
  const report = await cachedReport(store, config, { project: project.slug, from: choice.window.from, to: choice.window.to });
  const annotations = await trendAnnotations(store, config, { project: project.slug, until: shiftDate(choice.window.to, 1) });
  return <ProjectView project={project} choice={choice} report={report} notes={missingData(report, project)} bandSet={config.dora_bands} annotations={annotations} />;
}
