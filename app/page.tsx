import { openPage } from "@/lib/server/pages";
import { cachedReport } from "@/lib/report/cache";
import { chooseGroup } from "@/lib/report/portfolio";
import { firstValue } from "@/lib/server/query";
import { chooseWindow, type WindowQuery } from "@/lib/time/window-choice";
import { OverviewView } from "@/app/components/overview/overview-view";

export const dynamic = "force-dynamic";

/** The overview: the portfolio table, then every project's KPIs as cards, over the chosen window, for every project or one group. */
export default async function OverviewPage({ searchParams }: { searchParams: Promise<WindowQuery & { group?: string | string[] }> }) {
  const { config, store } = await openPage();
  const query = await searchParams;
  const groups = chooseGroup(config.projects, firstValue(query.group));
  const zones = [...new Set(groups.projects.map((p) => p.timezone))];
  // The picker shows the first project's dates; each project resolves the same choice in its own zone.
  const choice = chooseWindow(query, groups.projects[0]?.timezone ?? config.timezone);
  const projects = groups.projects.map((project) => {
    const own = chooseWindow(query, project.timezone);
    return {
      project,
      choice: own,
      report: cachedReport(store, config, { project: project.slug, from: own.window.from, to: own.window.to }),
    };
  });
  const zoneNote = zones.length > 1 ? `each project in its own time zone (${zones.join(", ")})` : `time zone ${zones[0] ?? config.timezone}`;
  return <OverviewView demo={config.demo} choice={choice} zoneNote={zoneNote} groups={groups} projects={projects} />;
}
