/** The overview: the portfolio table first, then every project's KPIs as cards, grouped by pillar, over the chosen window. */
import { Suspense } from "react";
import type { ProjectConfig } from "@/lib/config/load";
import { formatZoneOffset } from "@/lib/format/dates";
import { pillarLabels } from "@/lib/format/labels";
import { pillars } from "@/lib/kpis/kpi";
import type { Report } from "@/lib/report/build";
import type { GroupChoice } from "@/lib/report/portfolio";
import { groupsByKpi } from "@/lib/report/view";
import { windowQueryString, type WindowChoice } from "@/lib/time/window-choice";
import { KpiCard } from "@/app/components/kpis/kpi-card";
import { WindowPicker } from "@/app/components/window/window-picker";
import { GroupFilter } from "./group-filter";
import { PortfolioTable } from "./portfolio-table";

export interface ProjectOverview {
  project: ProjectConfig;
  /** The picker's choice resolved in the project's own zone. */
  choice: WindowChoice;
  /** Still computing: each project's cards appear when its report is ready. */
  report: Promise<Report>;
}

export function OverviewView({
  demo,
  choice,
  zoneNote,
  groups,
  projects,
}: {
  demo: boolean;
  choice: WindowChoice;
  zoneNote: string;
  groups: GroupChoice;
  projects: ProjectOverview[];
}) {
  return (
    <>
      <h1>KPI overview</h1>
      <p className="lead">
        How delivery is going in every project: the portfolio table sums each project up in one row; below, each card is one KPI over the
        window, against its target. Open a project for trends and what data is missing, or a KPI for the exact events behind its number.
      </p>
      {demo && (
        <p className="notice">
          Demo mode: no <code>shipshape.yaml</code> was found, so this is a generated organisation. Add a configuration file to track your
          own projects.
        </p>
      )}
      <WindowPicker choice={choice} path="/" zoneNote={zoneNote} keep={groups.group === null ? {} : { group: groups.group }} />
      <GroupFilter choice={choice} groups={groups} />
      {projects.length === 0 && (
        <p className="empty">
          No projects are configured. Add them under <code>projects:</code> in shipshape.yaml (see docs/configuration.md), then restart.
        </p>
      )}
      {projects.length > 0 && (
        <section className="portfolio" aria-labelledby="portfolio">
          <h2 id="portfolio">Portfolio</h2>
          <PortfolioTable projects={projects} />
        </section>
      )}
      <div role="region" aria-label="KPI cards">
        {projects.map((overview) => (
          <section className="project" key={overview.project.slug} aria-labelledby={`project-${overview.project.slug}`}>
            <h2 id={`project-${overview.project.slug}`}>
              <a href={`/projects/${overview.project.slug}${windowQueryString(choice)}`}>{overview.project.name}</a>
            </h2>
            <Suspense fallback={<p className="meta">Computing {overview.project.name}’s KPIs…</p>}>
              <ProjectCards {...overview} />
            </Suspense>
          </section>
        ))}
      </div>
    </>
  );
}

async function ProjectCards({ project, choice, report: computing }: ProjectOverview) {
  const report = await computing;
  const groups = groupsByKpi(report.kpis);
  const suffix = windowQueryString(choice);
  return (
    <>
      <p className="meta">
        Time zone {project.timezone} ({formatZoneOffset(project.timezone)}) · <a href={`/projects/${project.slug}${suffix}`}>trends and missing data</a>
      </p>
      {pillars.map((pillar) => (
        <div className="pillar" key={pillar}>
          <h3>{pillarLabels[pillar]}</h3>
          <ul className="cards">
            {groups
              .filter((group) => group.entry.pillar === pillar)
              .map((group) => (
                <KpiCard key={group.id} group={group} days={report.days} href={`/projects/${project.slug}/kpis/${group.id}${suffix}`} />
              ))}
          </ul>
        </div>
      ))}
    </>
  );
}
