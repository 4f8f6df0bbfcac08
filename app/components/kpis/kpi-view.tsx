/** One KPI: its definition, a larger trend with deployments and incidents, and the exact events behind the value. */
import type { Annotation } from "@/lib/annotations/marks";
import type { ProjectConfig } from "@/lib/config/load";
import { formatRange, formatZoneOffset } from "@/lib/format/dates";
import { directionLabels, pillarLabels } from "@/lib/format/labels";
import { formatValue } from "@/lib/format/values";
import type { Kpi } from "@/lib/kpis/kpi";
import type { KpiEvents } from "@/lib/report/events";
import type { MissingData } from "@/lib/report/missing-data";
import type { ProductionSpan } from "@/lib/report/model-history";
import type { EntryView, KpiGroup } from "@/lib/report/view";
import { windowQueryString, type WindowChoice } from "@/lib/time/window-choice";
import { previousWindow, shiftDate } from "@/lib/time/window";
import { AnnotationsProvider } from "@/app/components/charts/annotations-provider";
import { TrendChart } from "@/app/components/charts/trend-chart";
import { TrendsProvider } from "@/app/components/charts/trends-provider";
import { ProductionHistory } from "@/app/components/models/production-history";
import { WindowPicker } from "@/app/components/window/window-picker";
import { EventTable } from "./event-table";
import { NoteForm } from "./note-form";
import { BandBadge, ChangeLine, StatusBadge, targetText } from "./kpi-figures";
import { ForecastNote } from "./forecast-note";
import { perWeek } from "@/lib/targets/forecast-chart";

/** The bars drawn behind the KPI's line: the week's deployments and resolved incidents. */
const MARKER_KPIS = ["deployment_frequency", "time_to_restore"];

export interface KpiViewProps {
  project: ProjectConfig;
  kpi: Kpi;
  choice: WindowChoice;
  /** The KPI's entries in the window, and the one this page is about. */
  group: KpiGroup;
  entry: EntryView;
  drill: KpiEvents;
  notes: MissingData[];
  /** Which model version was live in production when (model_iterations_shipped only). */
  history: ProductionSpan[] | null;
  /** The marks of the trend's weeks: notes, target changes, releases, model versions. */
  annotations: Annotation[];
  /** For an editor: the session's CSRF token and today's date in the project's zone; null: no form. */
  noteForm: { csrfToken: string; today: string } | null;
}

export function KpiView({ project, kpi, choice, group, entry, drill, notes, history, annotations, noteForm }: KpiViewProps) {
  const { slug } = project;
  const { window } = choice;
  const suffix = windowQueryString(choice);
  const perDimensionOnly = group.perDimensionOnly && entry.dimension === null;
  // Deployments and incidents explain delivery, code and model numbers; datasets refresh on their own schedule.
  const markers = kpi.pillar !== "data";
  const trendsUrl = `/api/projects/${slug}/trends?until=${shiftDate(window.to, 1)}&kpis=${[kpi.id, ...(markers ? MARKER_KPIS : [])].join(",")}`;
  const previous = previousWindow(window);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={`/${suffix}`}>Overview</a> / <a href={`/projects/${slug}${suffix}`}>{project.name}</a> /{" "}
        <span aria-current="page">{kpi.title}</span>
      </nav>
      <h1>
        {kpi.title}
        {entry.dimension && <span className="dimension-title"> — {entry.dimension}</span>}
      </h1>
      <p className="definition">{kpi.description}</p>
      <p className="meta">
        {pillarLabels[kpi.pillar]} · {entry.direction ? directionLabels[entry.direction] : "each metric in its own direction"} · KPI id{" "}
        <code>{kpi.id}</code>
      </p>
      <WindowPicker
        choice={choice}
        path={`/projects/${slug}/kpis/${kpi.id}`}
        keep={entry.dimension ? { dimension: entry.dimension } : {}}
        zoneNote={`time zone ${project.timezone} (${formatZoneOffset(project.timezone)})`}
      />

      <section className={`panel kpi-panel status-${perDimensionOnly ? "none" : entry.status}`} aria-labelledby="value">
        <h2 id="value">The value</h2>
        {perDimensionOnly ? (
          <p>{kpi.title} has no value for the whole project: each model metric has its own value and target. Pick one below.</p>
        ) : (
          <Figures entry={entry} slug={slug} days={window.days} previous={formatRange(previous.from, previous.to)} />
        )}
        <p className="meta">
          Computed from {drill.sample_size} {drill.sample_size === 1 ? "event" : "events"} between {formatRange(window.from, window.to)}
          {drill.breakdown &&
            Object.entries(drill.breakdown).map(([name, count]) => ` · ${count} ${name.replaceAll("_", " ")} (not counted in the value)`)}
          .
        </p>
        {notes.map((note) => (
          <p className="notice" key={note.text}>
            {note.text}
          </p>
        ))}
        {group.dimensions.length > 0 && <Entries kpi={kpi} group={group} current={entry} pageOf={(dimension) => entryPage(slug, kpi.id, suffix, dimension)} />}
      </section>

      <section className="panel" aria-labelledby="trend">
        <h2 id="trend">Weekly trend</h2>
        {kpi.id === "model_quality" ? (
          <p className="empty">Model quality has one value per model metric, not one for the project, so there is no weekly project line.</p>
        ) : (
          <TrendsProvider url={trendsUrl}>
            <p className="meta">
              The project’s value each week (Monday to Sunday)
              {markers && ", with production deployments and resolved incidents as bars"}, for the 26 weeks up to the end of the window. Dashed
              vertical lines mark notes, target changes, releases and model versions reaching production: hover or focus one to read it.
            </p>
            <AnnotationsProvider annotations={annotations}>
              <TrendChart kpi={kpi.id} title={kpi.title} unit={kpi.unit} markers={markers} height={320} forecast={entry.dimension === null ? perWeek(entry.forecast, kpi.unit, window.days) : null} />
            </AnnotationsProvider>
          </TrendsProvider>
        )}
        <ForecastNote entry={entry} today={shiftDate(window.to, 1)} />
        {noteForm && <NoteForm project={slug} kpi={kpi.id} title={kpi.title} csrfToken={noteForm.csrfToken} today={noteForm.today} />}
      </section>

      {history && (
        <section className="panel" aria-labelledby="history">
          <h2 id="history">Production history</h2>
          <p className="meta">
            Which version of each model was live in production, from when to when (up to the end of the window, newest first), in {project.timezone} time;
            highlighted rows overlap the window.
          </p>
          <ProductionHistory spans={history} timezone={project.timezone} window={window} />
        </section>
      )}

      <section className="panel" aria-labelledby="events">
        <h2 id="events">The events behind this number</h2>
        <p className="meta">
          Exactly the records the value was computed from, in {project.timezone} time.{" "}
          <a href={`/api/projects/${slug}/kpis/${kpi.id}/events?from=${window.from}&to=${window.to}${entry.dimension ? `&dimension=${encodeURIComponent(entry.dimension)}` : ""}`}>
            Download as JSON
          </a>
        </p>
        <EventTable events={drill.events} unit={entry.unit} timezone={project.timezone} />
      </section>
    </>
  );
}

/** The value, its status and band, the target, and the change from the previous window (`previous`: its dates). */
function Figures({ entry, slug, days, previous }: { entry: EntryView; slug: string; days: number; previous: string }) {
  return (
    <>
      <p className="figures">
        <span className="value value-large">{formatValue(entry.value, entry.unit)}</span> <StatusBadge status={entry.status} />{" "}
        <BandBadge band={entry.band} />
      </p>
      <p>
        {entry.target ? (
          `${targetText(entry)} (at risk within ${formatValue(entry.target.warn, entry.unit)} of it) · `
        ) : (
          <>
            No target is set yet: set one on the <a href={`/projects/${slug}/targets`}>targets page</a> or with <code>shipshape targets set</code>.{" "}
          </>
        )}
        <ChangeLine entry={entry} days={days} /> ({previous}: {formatValue(entry.previous, entry.unit)})
      </p>
    </>
  );
}

/** Every entry of the KPI, each linking to its own page; the project line is left out when it has no value of its own. */
function Entries({ kpi, group, current, pageOf }: { kpi: Kpi; group: KpiGroup; current: EntryView; pageOf: (dimension: string | null) => string }) {
  const entries = group.perDimensionOnly ? group.dimensions : [group.entry, ...group.dimensions];
  return (
    <table className="entries">
      <caption>Values per {kpi.dimension === "model_metric" ? "model metric" : kpi.dimension}</caption>
      <thead>
        <tr>
          <th scope="col">Entry</th>
          <th scope="col">Value</th>
          <th scope="col">Status</th>
          <th scope="col">Previous</th>
          <th scope="col">Events</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.dimension ?? ""} aria-current={e.dimension === current.dimension ? "true" : undefined}>
            <th scope="row">
              <a href={pageOf(e.dimension)}>{e.dimension ?? "Whole project"}</a>
            </th>
            <td className="num">{formatValue(e.value, e.unit)}</td>
            <td>
              <StatusBadge status={e.status} />
            </td>
            <td className="num">{formatValue(e.previous, e.unit)}</td>
            <td className="num">{e.sample_size}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The page of one entry, keeping the window. */
function entryPage(slug: string, kpi: string, suffix: string, dimension: string | null): string {
  return `/projects/${slug}/kpis/${kpi}${suffix}${dimension ? `${suffix ? "&" : "?"}dimension=${encodeURIComponent(dimension)}` : ""}`;
}
