import { notFound } from "next/navigation";
import { requireViewer } from "@/lib/auth/guard";
import { directionLabels, formatInstant, formatRange, formatValue, pillarLabels, webLink, zoneOffset } from "@/lib/format/values";
import { findKpi } from "@/lib/kpis/catalog";
import type { KpiEvent } from "@/lib/kpis/kpi";
import { previousWindow, shiftDate } from "@/lib/time/window";
import { missingData } from "@/lib/report/missing-data";
import { kpiEvents } from "@/lib/report/build";
import { cachedReport } from "@/lib/report/cache";
import { modelProductionHistory } from "@/lib/report/model-history";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { chooseWindow, windowQueryString, type WindowQuery } from "@/lib/time/window-choice";
import { BandBadge, ChangeLine, entryDirection, StatusBadge, targetText } from "@/app/components/KpiFigures";
import { TrendChart } from "@/app/components/TrendChart";
import { TrendsProvider } from "@/app/components/TrendsProvider";
import { WindowPicker } from "@/app/components/WindowPicker";
import { ProductionHistory } from "@/app/components/models/production-history";

export const dynamic = "force-dynamic";

/** The bars drawn behind the KPI's line: the week's deployments and resolved incidents. */
const MARKER_KPIS = ["deployment_frequency", "time_to_restore"];

type Query = WindowQuery & { dimension?: string | string[] };

/** One KPI: its definition, a larger trend with deployments and incidents, and the exact events behind the value. */
export default async function KpiPage({ params, searchParams }: { params: Promise<{ slug: string; id: string }>; searchParams: Promise<Query> }) {
  await requireViewer();
  const [{ slug, id }, query] = await Promise.all([params, searchParams]);
  const { config, store } = await getServerRuntime();
  const project = config.projects.find((p) => p.slug === slug);
  const kpi = findKpi(id);
  if (!project || !kpi) notFound();
  const choice = chooseWindow(query, project.timezone);
  const { window } = choice;
  const report = await cachedReport(store, config, { project: slug, from: window.from, to: window.to });
  const entries = report.kpis.filter((entry) => entry.id === kpi.id);
  const requested = (Array.isArray(query.dimension) ? query.dimension[0] : query.dimension) || null;
  const entry = entries.find((e) => e.dimension === requested);
  if (!entry) notFound();
  const drill = await kpiEvents(store, config, { project: slug, kpi: kpi.id, dimension: entry.dimension, from: window.from, to: window.to });
  // Which version was live when: what the count of iterations shipped is made of (issue 18).
  const history = kpi.id === "model_iterations_shipped" ? await modelProductionHistory(store, project, new Date(window.end)) : null;
  const direction = entryDirection(entry, kpi.direction);
  // Model quality's project line has no value of its own: its metrics carry the values.
  const projectLineEmpty = entries[0]!.value === null && entries.length > 1;
  const perDimensionOnly = projectLineEmpty && entry.dimension === null;
  const suffix = windowQueryString(choice);
  const notes = missingData(report, project).filter((note) => note.kpi === kpi.id);
  // Deployments and incidents explain delivery, code and model numbers; datasets refresh on their own schedule.
  const markers = kpi.pillar !== "data";
  const trendsUrl = `/api/projects/${slug}/trends?until=${shiftDate(window.to, 1)}&kpis=${[kpi.id, ...(markers ? MARKER_KPIS : [])].join(",")}`;
  const previous = previousWindow(window);
  const pageOf = (dimension: string | null) =>
    `/projects/${slug}/kpis/${kpi.id}${suffix}${dimension ? `${suffix ? "&" : "?"}dimension=${encodeURIComponent(dimension)}` : ""}`;
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
        {pillarLabels[kpi.pillar]} · {direction ? directionLabels[direction] : "each metric in its own direction"} · KPI id <code>{kpi.id}</code>
      </p>
      <WindowPicker
        choice={choice}
        path={`/projects/${slug}/kpis/${kpi.id}`}
        keep={entry.dimension ? { dimension: entry.dimension } : {}}
        zoneNote={`time zone ${project.timezone} (${zoneOffset(project.timezone)})`} />

      <section className={`panel kpi-panel status-${perDimensionOnly ? "none" : entry.status}`} aria-labelledby="value">
        <h2 id="value">The value</h2>
        {perDimensionOnly ? (
          <p>{kpi.title} has no value for the whole project: each model metric has its own value and target. Pick one below.</p>
        ) : (
          <>
            <p className="figures">
              <span className="value value-large">{formatValue(entry.value, entry.unit)}</span> <StatusBadge status={entry.status} />{" "}
              <BandBadge band={entry.band} />
            </p>
            <p>
              {entry.target
                ? `${targetText(entry, direction)} (at risk within ${formatValue(entry.target.warn, entry.unit)} of it) · `
                : (
                  <>
                    No target is set yet: set one on the <a href={`/projects/${slug}/targets`}>targets page</a> or with{" "}
                    <code>shipshape targets set</code>.{" "}
                  </>
                )}
              <ChangeLine entry={entry} direction={direction} days={report.days} /> ({formatRange(previous.from, previous.to)}:{" "}
              {formatValue(entry.previous, entry.unit)})
            </p>
          </>
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
        {entries.length > 1 && (
          <table className="entries">
            <caption>Values per {kpi.id === "model_quality" ? "model metric" : kpi.id.startsWith("data_") ? "dataset" : "model"}</caption>
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
              {entries
                .filter((e) => !(projectLineEmpty && e.dimension === null))
                .map((e) => (
                <tr key={e.dimension ?? ""} aria-current={e === entry ? "true" : undefined}>
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
        )}
      </section>

      <section className="panel" aria-labelledby="trend">
        <h2 id="trend">Weekly trend</h2>
        {kpi.id === "model_quality" ? (
          <p className="empty">Model quality has one value per model metric, not one for the project, so there is no weekly project line.</p>
        ) : (
          <TrendsProvider url={trendsUrl}>
            <p className="meta">
              The project’s value each week (Monday to Sunday)
              {markers && ", with production deployments and resolved incidents as bars"}, for the 26 weeks up to the end of the window.
            </p>
            <TrendChart kpi={kpi.id} title={kpi.title} unit={kpi.unit} markers={markers} height={320} />
          </TrendsProvider>
        )}
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

function EventTable({ events, unit, timezone }: { events: KpiEvent[]; unit: Parameters<typeof formatValue>[1]; timezone: string }) {
  if (events.length === 0) return <p className="empty">No events in this window: nothing was counted, so there is nothing to show.</p>;
  // Per-day and percentage values are built from counts: their events carry no value of their own worth a column.
  const valueUnit = unit !== "per_day" && unit !== "percent" && events.some((event) => event.value !== null) ? unit : null;
  return (
    <div className="table-scroll">
      <table className="events">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Kind</th>
            <th scope="col">Id</th>
            {valueUnit && <th scope="col">Contributes</th>}
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => {
            const href = webLink(event.url);
            return (
              <tr key={`${event.source}:${event.kind}:${event.id}:${event.dimension ?? ""}`}>
                <td className="nowrap">{formatInstant(event.at, timezone)}</td>
                <td>{event.title ?? "—"}</td>
                <td>{event.kind.replaceAll("_", " ")}</td>
                <td>{href ? <a href={href}>{event.id}</a> : <code>{event.id}</code>}</td>
                {valueUnit && <td className="num">{event.value === null ? "—" : formatValue(event.value, valueUnit)}</td>}
                <td className="nowrap">{sourceLabel(event.source)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function sourceLabel(source: string): string {
  const known: Record<string, string> = { github: "GitHub", jira: "Jira", deploy_log: "Deployment log", mlflow: "MLflow", airflow: "Airflow" };
  return known[source] ?? `${source.charAt(0).toUpperCase()}${source.slice(1).replaceAll("_", " ")}`;
}
