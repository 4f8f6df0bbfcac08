/** A project: every KPI with its weekly trend, the DORA bands, and what data is missing. */
import type { Annotation, AnnotationKind } from "@/lib/annotations/marks";
import type { ProjectConfig } from "@/lib/config/load";
import { formatZoneOffset } from "@/lib/format/dates";
import { pillarLabels } from "@/lib/format/labels";
import { formatValue } from "@/lib/format/values";
import { pillars } from "@/lib/kpis/kpi";
import type { Report } from "@/lib/report/build";
import type { MissingData } from "@/lib/report/missing-data";
import { groupsByKpi, type KpiGroup } from "@/lib/report/view";
import { windowQueryString, type WindowChoice } from "@/lib/time/window-choice";
import { shiftDate } from "@/lib/time/window";
import { AnnotationsProvider } from "@/app/components/charts/annotations-provider";
import { TrendChart } from "@/app/components/charts/trend-chart";
import { TrendsProvider } from "@/app/components/charts/trends-provider";
import { BandBadge, ChangeLine, StatusBadge, targetText } from "@/app/components/kpis/kpi-figures";
import { WindowPicker } from "@/app/components/window/window-picker";
import { QuickCheckScores } from "./quick-check-scores";

/**
 * The small charts mark only what people wrote down or decided — notes and target changes: the
 * demo ships a release or a model version most weeks, which would put a line on every week of
 * sixteen small charts. The KPI page marks every kind.
 */
const SMALL_CHART_KINDS = new Set<AnnotationKind>(["note", "target"]);

/** `bandSet`: the DORA report whose band thresholds the configuration chose (dora_bands); `annotations`: the marks of the trends' weeks. */
export function ProjectView({ project, choice, report, notes, bandSet, annotations }: { project: ProjectConfig; choice: WindowChoice; report: Report; notes: MissingData[]; bandSet: string; annotations: Annotation[] }) {
  const { slug } = project;
  const groups = groupsByKpi(report.kpis);
  const dora = groups.filter((group) => group.entry.band !== null).map((group) => group.entry);
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
      <WindowPicker choice={choice} path={`/projects/${slug}`} zoneNote={`time zone ${project.timezone} (${formatZoneOffset(project.timezone)})`} />

      <section className="panel" aria-labelledby="dora">
        <h2 id="dora">DORA performance</h2>
        {dora.length === 0 ? (
          <p className="empty">No DORA band yet: the four DORA KPIs need production deployments (deployment log or GitHub deployments).</p>
        ) : (
          <ul className="dora">
            {dora.map((entry) => (
              <li key={entry.id}>
                <span>{entry.title}</span> <strong>{formatValue(entry.value, entry.unit)}</strong> <BandBadge band={entry.band} />
              </li>
            ))}
          </ul>
        )}
        <p className="meta">
          Bands compare the team with the thresholds of Google’s DORA research ({bandSet} State of DevOps report): elite is best, then high, medium,
          low.
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
        <AnnotationsProvider annotations={annotations.filter((a) => SMALL_CHART_KINDS.has(a.kind))}>
        {pillars.map((pillar) => (
          <section key={pillar} aria-labelledby={`pillar-${pillar}`}>
            <h2 id={`pillar-${pillar}`}>{pillarLabels[pillar]}</h2>
            <div className="kpi-panels">
              {groups
                .filter((group) => group.entry.pillar === pillar)
                .map((group) => (
                  <KpiPanel key={group.id} group={group} href={`/projects/${slug}/kpis/${group.id}${suffix}`} days={report.days} />
                ))}
            </div>
          </section>
        ))}
        </AnnotationsProvider>
      </TrendsProvider>
    </>
  );
}

/** One KPI: its value, status, target and change, its dimensions, and its weekly trend. */
function KpiPanel({ group, href, days }: { group: KpiGroup; href: string; days: number }) {
  const { entry, dimensions, perDimensionOnly } = group;
  return (
    <article className={`kpi-panel status-${perDimensionOnly ? "none" : entry.status}`} aria-labelledby={`kpi-${entry.id}`}>
      <h3 id={`kpi-${entry.id}`}>
        <a href={href}>{entry.title}</a>
      </h3>
      {perDimensionOnly ? (
        <p className="meta">One value per model metric: see the list below and the KPI page.</p>
      ) : (
        <p className="figures">
          <span className="value">{formatValue(entry.value, entry.unit)}</span> <StatusBadge status={entry.status} /> <BandBadge band={entry.band} />
          <br />
          <span className="meta">
            {entry.target && `${targetText(entry)} · `}
            <ChangeLine entry={entry} days={days} />
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
      {perDimensionOnly ? null : <TrendChart kpi={entry.id} title={entry.title} unit={entry.unit} />}
    </article>
  );
}

function list(names: string[]): string {
  return names.length ? names.join(", ") : "none";
}
