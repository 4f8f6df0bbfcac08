import { notFound } from "next/navigation";
import { requireViewer } from "@/lib/auth/guard";
import { formatScore, formatValue, pillarLabels, zoneOffset } from "@/lib/format/values";
import { benchmark2025, scoredKpis } from "@/lib/kpis/dora/quick-check";
import { findKpi } from "@/lib/kpis/catalog";
import type { Pillar } from "@/lib/kpis/kpi";
import { shiftDate } from "@/lib/time/window";
import { missingData } from "@/lib/report/missing-data";
import { cachedReport } from "@/lib/report/cache";
import type { Report } from "@/lib/report/build";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { chooseWindow, windowQueryString, type WindowQuery } from "@/lib/time/window-choice";
import { entriesByKpi } from "@/app/components/KpiCard";
import { BandBadge, ChangeLine, entryDirection, StatusBadge, targetText } from "@/app/components/KpiFigures";
import { TrendChart } from "@/app/components/TrendChart";
import { TrendsProvider } from "@/app/components/TrendsProvider";
import { WindowPicker } from "@/app/components/WindowPicker";

export const dynamic = "force-dynamic";

const pillars: Pillar[] = ["delivery", "code", "model", "data"];

/** A project: every KPI with its weekly trend, the DORA bands, and what data is missing. */
export default async function ProjectPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<WindowQuery> }) {
  await requireViewer();
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const { config, store } = await getServerRuntime();
  const project = config.projects.find((p) => p.slug === slug);
  if (!project) notFound();
  const choice = chooseWindow(query, project.timezone);
  const report = await cachedReport(store, config, { project: slug, from: choice.window.from, to: choice.window.to });
  const notes = missingData(report, project);
  const groups = entriesByKpi(report.kpis);
  const dora = report.kpis.filter((entry) => entry.band !== null);
  const suffix = windowQueryString(choice);
  // The trend's 26 weeks end with the last complete week of the window.
  const trendsUrl = `/api/projects/${slug}/trends?until=${shiftDate(choice.window.to, 1)}`;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={`/${suffix}`}>Overview</a> / <span aria-current="page">{project.name}</span>
      </nav>
      <h1>{project.name}</h1>
      <p className="meta">
        Services {list(project.services)} · models {list(project.models)} · datasets {list(project.datasets)} · GitHub{" "}
        {list(project.github?.repos ?? [])} · Jira {list(project.jira?.projects ?? [])}
      </p>
      <p className="project-links">
        <a href={`/projects/${slug}/targets`}>Targets</a> · <a href={`/projects/${slug}/retro`}>Sprint retro</a> ·{" "}
        <a href={`/projects/${slug}/digest`}>Weekly email</a>
      </p>
      <WindowPicker choice={choice} path={`/projects/${slug}`} zoneNote={`time zone ${project.timezone} (${zoneOffset(project.timezone)})`} />

      <section className="panel" aria-labelledby="dora">
        <h2 id="dora">DORA performance</h2>
        {dora.length === 0 ? (
          <p className="empty">No DORA band yet: the four DORA KPIs need production deployments (deployment log or GitHub deployments).</p>
        ) : (
          <ul className="dora">
            {dora.map((entry) => (
              <li key={entry.id}>
                <span>{findKpi(entry.id)!.title}</span> <strong>{formatValue(entry.value, entry.unit)}</strong> <BandBadge band={entry.band} />
              </li>
            ))}
          </ul>
        )}
        <p className="meta">
          Bands compare the team with the thresholds of Google’s DORA research ({config.dora_bands} State of DevOps report): elite is best,
          then high, medium, low.
        </p>
        <QuickCheckScores scores={report.scores} />
      </section>

      <section className="panel" aria-labelledby="missing">
        <h2 id="missing">What data is missing</h2>
        {notes.length === 0 ? (
          <p>Nothing: every KPI had data to work with in this window.</p>
        ) : (
          <ul className="notes">
            {notes.map((note) => (
              <li key={`${note.kpi}:${note.text}`}>{note.text}</li>
            ))}
          </ul>
        )}
      </section>

      <TrendsProvider url={trendsUrl}>
        {pillars.map((pillar) => (
          <section key={pillar} aria-labelledby={`pillar-${pillar}`}>
            <h2 id={`pillar-${pillar}`}>{pillarLabels[pillar]}</h2>
            <div className="kpi-panels">
              {groups
                .filter((group) => group[0]!.pillar === pillar)
                .map(([entry, ...dimensions]) => {
                  const kpi = findKpi(entry!.id)!;
                  const direction = entryDirection(entry!, kpi.direction);
                  const perDimensionOnly = entry!.value === null && dimensions.length > 0;
                  return (
                    <article className={`kpi-panel status-${perDimensionOnly ? "none" : entry!.status}`} key={kpi.id} aria-labelledby={`kpi-${kpi.id}`}>
                      <h3 id={`kpi-${kpi.id}`}>
                        <a href={`/projects/${slug}/kpis/${kpi.id}${suffix}`}>{kpi.title}</a>
                      </h3>
                      {perDimensionOnly ? (
                        <p className="meta">One value per model metric: see the list below and the KPI page.</p>
                      ) : (
                        <p className="figures">
                          <span className="value">{formatValue(entry!.value, entry!.unit)}</span> <StatusBadge status={entry!.status} />{" "}
                          <BandBadge band={entry!.band} />
                          <br />
                          <span className="meta">
                            {entry!.target && `${targetText(entry!, direction)} · `}
                            <ChangeLine entry={entry!} direction={direction} days={report.days} />
                          </span>
                        </p>
                      )}
                      {dimensions.length > 0 && (
                        <ul className="dimensions">
                          {dimensions.map((d) => (
                            <li key={d.dimension}>
                              <span className="dimension-name">{d.dimension}</span> <span className="num">{formatValue(d.value, d.unit)}</span>{" "}
                              {d.target && <StatusBadge status={d.status} />}
                            </li>
                          ))}
                        </ul>
                      )}
                      {perDimensionOnly ? null : <TrendChart kpi={kpi.id} title={kpi.title} unit={kpi.unit} />}
                    </article>
                  );
                })}
            </div>
          </section>
        ))}
      </TrendsProvider>
    </>
  );
}

function list(names: string[]): string {
  return names.length ? names.join(", ") : "none";
}

/** DORA's Quick Check scale: each DORA KPI and the mean on 0–10, beside the 2025 industry benchmark. */
function QuickCheckScores({ scores }: { scores: Report["scores"] }) {
  if (scores.overall === null) return null;
  return (
    <div className="quick-check" aria-label="DORA Quick Check scores">
      <p>
        DORA Quick Check score <strong>{formatScore(scores.overall)}</strong> / 10 · 2025 industry benchmark {formatScore(benchmark2025.overall)}
      </p>
      <ul className="dora">
        {scoredKpis
          .filter((id) => scores[id] !== undefined)
          .map((id) => (
            <li key={id}>
              <span>{findKpi(id)!.title}</span> <strong>{formatScore(scores[id]!)}</strong> <span className="meta">benchmark {formatScore(benchmark2025[id])}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}
