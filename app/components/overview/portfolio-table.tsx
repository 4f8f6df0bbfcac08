/**
 * The portfolio at a glance: one row per project with its targets met / at risk / missed, its
 * four DORA bands and its headline KPIs' weekly sparklines. Each row appears when its
 * project's report is ready (the cards below wait for the same reports); the sparklines load
 * after the page from GET /api/projects/SLUG/trends.
 */
import { Suspense } from "react";
import { bandLabels } from "@/lib/format/labels";
import { formatValue } from "@/lib/format/values";
import { kpiById } from "@/lib/kpis/catalog";
import { bandedKpis } from "@/lib/kpis/dora/bands";
import { doraBands, headlineTrendsUrl, SPARKLINE_WEEKS, targetCountNames, targetCounts, type TargetCount } from "@/lib/report/portfolio";
import { windowQueryString } from "@/lib/time/window-choice";
import type { ProjectOverview } from "./overview-view";
import { TrendsProvider } from "@/app/components/charts/trends-provider";
import { HeadlineSparklines } from "./headline-sparklines";

const countHeadings: Record<TargetCount, string> = { met: "Met", at_risk: "At risk", missed: "Missed", off_track: "Off track" };

export function PortfolioTable({ projects }: { projects: ProjectOverview[] }) {
  const columns = 3 + targetCountNames.length + bandedKpis.length;
  return (
    <div className="table-scroll">
      <table className="portfolio">
        <caption>
          Every project over the window: targets by status and the DORA performance band of each delivery KPI; its headline KPIs over the
          last {SPARKLINE_WEEKS} weeks
        </caption>
        <thead>
          <tr>
            <th scope="col">Project</th>
            <th scope="col">Group</th>
            {targetCountNames.map((name) => (
              <th scope="col" className="num" key={name}>
                {countHeadings[name]}
              </th>
            ))}
            {bandedKpis.map((id) => (
              <th scope="col" key={id}>
                {kpiById(id).title}
              </th>
            ))}
            <th scope="col">Headline KPIs, weekly</th>
          </tr>
        </thead>
        <tbody>
          {projects.map((overview) => (
            <Suspense
              key={overview.project.slug}
              fallback={
                <tr>
                  <th scope="row">{overview.project.name}</th>
                  <td colSpan={columns - 1} className="meta">
                    Computing…
                  </td>
                </tr>
              }
            >
              <PortfolioRow {...overview} />
            </Suspense>
          ))}
        </tbody>
      </table>
    </div>
  );
}

async function PortfolioRow({ project, choice, report: computing }: ProjectOverview) {
  const report = await computing;
  const counts = targetCounts(report.kpis);
  return (
    <tr>
      <th scope="row">
        <a href={`/projects/${project.slug}${windowQueryString(choice)}`}>{project.name}</a>
      </th>
      <td>{project.group ?? "—"}</td>
      {targetCountNames.map((name) => (
        <td className={`num count-${name}`} key={name}>
          {counts[name]}
        </td>
      ))}
      {doraBands(report.kpis).map((cell) => (
        <td key={cell.id}>
          {cell.band ? <span className={`badge band-${cell.band}`}>{bandLabels[cell.band]}</span> : <span className="meta">No data</span>}
          {cell.value !== null && <span className="meta band-value"> {formatValue(cell.value, kpiById(cell.id).unit)}</span>}
        </td>
      ))}
      <td className="headline">
        {project.headline.length === 0 ? (
          <span className="meta">None configured</span>
        ) : (
          // Loaded after the page, as the project page's charts are: the series take longer than the table.
          <TrendsProvider url={headlineTrendsUrl(project)}>
            <HeadlineSparklines kpis={project.headline.map((id) => ({ id, title: kpiById(id).title }))} />
          </TrendsProvider>
        )}
      </td>
    </tr>
  );
}
