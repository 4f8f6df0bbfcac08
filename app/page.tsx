import { requireViewer } from "@/lib/auth/guard";
import { Suspense } from "react";
import type { ProjectConfig } from "@/lib/config/load";
import { pillarLabels, zoneOffset } from "@/lib/format/values";
import type { Pillar } from "@/lib/kpis/kpi";
import { cachedReport } from "@/lib/report/cache";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { chooseWindow, windowQueryString, type WindowQuery } from "@/lib/time/window-choice";
import { entriesByKpi, KpiCard } from "@/app/components/kpis/kpi-card";
import { WindowPicker } from "@/app/components/window/window-picker";

export const dynamic = "force-dynamic";

const pillars: Pillar[] = ["delivery", "code", "model", "data"];

/** The overview: every project's KPIs as cards, grouped by pillar, over the chosen window. */
export default async function OverviewPage({ searchParams }: { searchParams: Promise<WindowQuery> }) {
  await requireViewer();
  const query = await searchParams;
  const { config } = await getServerRuntime();
  const zones = [...new Set(config.projects.map((p) => p.timezone))];
  // The picker shows the first project's dates; each project resolves the same choice in its own zone.
  const choice = chooseWindow(query, config.projects[0]?.timezone ?? config.timezone);
  return (
    <>
      <h1>KPI overview</h1>
      <p className="lead">
        How delivery is going in every project: each card is one KPI over the window, against its target. Open a project for trends and
        what data is missing, or a KPI for the exact events behind its number.
      </p>
      {config.demo && (
        <p className="notice">
          Demo mode: no <code>shipshape.yaml</code> was found, so this is a generated organisation. Add a configuration file to track your
          own projects.
        </p>
      )}
      <WindowPicker
        choice={choice}
        path="/"
        zoneNote={zones.length > 1 ? `each project in its own time zone (${zones.join(", ")})` : `time zone ${zones[0] ?? config.timezone}`}
      />
      {config.projects.length === 0 && (
        <p className="empty">
          No projects are configured. Add them under <code>projects:</code> in shipshape.yaml (see docs/configuration.md), then restart.
        </p>
      )}
      {config.projects.map((project) => (
        <section className="project" key={project.slug} aria-labelledby={`project-${project.slug}`}>
          <h2 id={`project-${project.slug}`}>
            <a href={`/projects/${project.slug}${windowQueryString(choice)}`}>{project.name}</a>
          </h2>
          <Suspense fallback={<p className="meta">Computing {project.name}’s KPIs…</p>}>
            <ProjectCards project={project} query={query} />
          </Suspense>
        </section>
      ))}
    </>
  );
}

async function ProjectCards({ project, query }: { project: ProjectConfig; query: WindowQuery }) {
  const { config, store } = await getServerRuntime();
  const choice = chooseWindow(query, project.timezone);
  const report = await cachedReport(store, config, { project: project.slug, from: choice.window.from, to: choice.window.to });
  const groups = entriesByKpi(report.kpis);
  const suffix = windowQueryString(choice);
  return (
    <>
      <p className="meta">
        Time zone {project.timezone} ({zoneOffset(project.timezone)}) · <a href={`/projects/${project.slug}${suffix}`}>trends and missing data</a>
      </p>
      {pillars.map((pillar) => {
        const cards = groups.filter((group) => group[0]!.pillar === pillar);
        return (
          <div className="pillar" key={pillar}>
            <h3>{pillarLabels[pillar]}</h3>
            <ul className="cards">
              {cards.map((entries) => (
                <KpiCard key={entries[0]!.id} entries={entries} days={report.days} href={`/projects/${project.slug}/kpis/${entries[0]!.id}${suffix}`} />
              ))}
            </ul>
          </div>
        );
      })}
    </>
  );
}
