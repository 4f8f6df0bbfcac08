/**
 * A project's targets: every KPI of the catalog with its targets in force, the current value
 * judged against the target in force now, and every change. Editors and admins get a form per
 * KPI; viewers see the same page without it.
 */
import { CSRF_FIELD } from "@/lib/auth/csrf";
import type { ProjectConfig } from "@/lib/config/load";
import { formatDay, formatUtcMinute } from "@/lib/format/dates";
import { directionLabels, statusLabels, unitLabels } from "@/lib/format/labels";
import { formatExact } from "@/lib/format/values";
import { catalog } from "@/lib/kpis/catalog";
import type { Kpi } from "@/lib/kpis/kpi";
import type { Report, ReportEntry } from "@/lib/report/build";
import { forecastWords, type Forecast } from "@/lib/targets/forecast";
import { perWeek } from "@/lib/targets/forecast-chart";
import { statusOf, type Status, type TargetInForce } from "@/lib/targets/status";
import { shiftDate } from "@/lib/time/window";
import type { TargetChange, TargetsInForce } from "@/lib/targets/store";
import { removeTargetAction } from "@/app/projects/[slug]/targets/actions";
import { TrendChart } from "@/app/components/charts/trend-chart";
import { TrendsProvider } from "@/app/components/charts/trends-provider";
import { ActionForm } from "@/app/components/forms/action-form";
import { TargetForm, type TargetFormProps } from "./target-form";

interface Row {
  dimension: string | null;
  value: number | null;
  target: TargetInForce | null;
  status: Status;
}

export interface TargetsViewProps {
  project: ProjectConfig;
  /** The default window's report, judged against the targets in force now. */
  report: Report;
  inForce: TargetsInForce;
  history: TargetChange[];
  /** The session's CSRF token when the viewer may change targets, else null. */
  csrfToken: string | null;
}

export function TargetsView({ project, report, inForce, history, csrfToken }: TargetsViewProps) {
  return (
    <>
      <h1>Targets · {project.name}</h1>
      <p className="meta">
        Values over {report.from} – {report.to} ({report.timezone}), judged against the targets in force now.
        {csrfToken ? " You can set and remove targets." : " Only editors can change targets."}
      </p>
      <ByDueDate project={project} report={report} inForce={inForce} />
      {catalog.map((kpi) => (
        <KpiTargets
          key={kpi.id}
          kpi={kpi}
          project={project}
          rows={rowsOf(kpi, report.kpis, inForce)}
          history={history.filter((change) => change.kpi === kpi.id).reverse()}
          csrfToken={csrfToken}
        />
      ))}
    </>
  );
}

interface DueRow {
  kpi: Kpi;
  dimension: string | null;
  target: TargetInForce;
  forecast: Forecast | null;
}

/**
 * Every target in force, the soonest due date first and those without one last (then in
 * catalog order): who owns it, by when, and whether the trend gets there.
 */
function ByDueDate({ project, report, inForce }: { project: ProjectConfig; report: Report; inForce: TargetsInForce }) {
  const rows: DueRow[] = catalog
    .flatMap((kpi) => inForce.entries().filter((entry) => entry.kpi === kpi.id).map(({ dimension, target }) => ({ kpi, dimension, target })))
    .map((row) => ({ ...row, forecast: report.kpis.find((entry) => entry.id === row.kpi.id && entry.dimension === row.dimension)?.forecast ?? null }))
    .sort((a, b) => byDueDate(a.target.due, b.target.due));
  // The weekly series stops at the window's end: "today" for the forecast's words.
  const today = shiftDate(report.to, 1);
  return (
    <section className="card" aria-labelledby="by-due-date">
      <h2 id="by-due-date">Targets by due date</h2>
      {rows.length === 0 ? (
        <p className="empty">No targets are set yet.</p>
      ) : (
        <table className="by-due-date">
          <caption className="visually-hidden">Every target in force, soonest due date first</caption>
          <thead>
            <tr>
              <th scope="col">Due</th>
              <th scope="col">KPI</th>
              <th scope="col">Target</th>
              <th scope="col">Owner</th>
              <th scope="col">Forecast</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.kpi.id} ${row.dimension ?? ""}`}>
                <td className="nowrap">{row.target.due ? formatDay(row.target.due) : "—"}</td>
                <th scope="row">
                  <a href={`/projects/${project.slug}/kpis/${row.kpi.id}${row.dimension ? `?dimension=${encodeURIComponent(row.dimension)}` : ""}`}>{row.kpi.title}</a>
                  {row.dimension && <span className="meta"> · {row.dimension}</span>}
                </th>
                <td className="num">{formatExact(row.target.value, row.kpi.unit)}</td>
                <td>{row.target.owner ?? "—"}</td>
                <td className={row.forecast ? `forecast-words-${row.forecast.status}` : undefined}>
                  {row.forecast ? forecastWords(row.forecast, row.target, row.kpi.unit, today) : row.target.due ? "not enough data" : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ForecastCharts project={project} report={report} rows={rows} today={today} />
    </section>
  );
}

/**
 * Each project target with a forecast, drawn as on its KPI page: the weekly line, the target,
 * and the dashed continuation to the due date with its band. Dimension targets have their
 * words in the table only (the weekly series is the project's).
 */
function ForecastCharts({ project, report, rows, today }: { project: ProjectConfig; report: Report; rows: DueRow[]; today: string }) {
  const charted = rows.filter((row) => row.dimension === null && row.forecast !== null && row.forecast.status !== "not_enough_data");
  if (charted.length === 0) return null;
  const url = `/api/projects/${project.slug}/trends?until=${today}&kpis=${charted.map((row) => row.kpi.id).join(",")}`;
  return (
    <TrendsProvider url={url}>
      <div className="forecast-charts">
        {charted.map((row) => (
          <TrendChart
            key={row.kpi.id}
            kpi={row.kpi.id}
            title={`${row.kpi.title}, forecast to ${formatDay(row.forecast!.due)}`}
            unit={row.kpi.unit}
            height={180}
            forecast={perWeek(row.forecast, row.kpi.unit, report.days)}
          />
        ))}
      </div>
    </TrendsProvider>
  );
}

/** Soonest due date first, undated last; a stable sort keeps catalog order among equals. */
function byDueDate(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

/** The report's entries of a KPI, plus targets in force for dimensions without an entry in the window. */
function rowsOf(kpi: Kpi, entries: ReportEntry[], inForce: TargetsInForce): Row[] {
  const rows: Row[] = entries.filter((entry) => entry.id === kpi.id);
  for (const { kpi: id, dimension, target } of inForce.entries()) {
    if (id === kpi.id && !rows.some((row) => row.dimension === dimension)) {
      rows.push({ dimension, value: null, target, status: statusOf(null, target, kpi.direction) });
    }
  }
  return rows;
}

function KpiTargets({ kpi, project, rows, history, csrfToken }: { kpi: Kpi; project: ProjectConfig; rows: Row[]; history: TargetChange[]; csrfToken: string | null }) {
  const headingId = `kpi-${kpi.id}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{kpi.title}</h2>
      <p className="meta">
        <code>{kpi.id}</code> · {unitLabels[kpi.unit]} · {directionLabels[kpi.direction]}
      </p>
      <table>
        <caption className="visually-hidden">Targets for {kpi.title}</caption>
        <thead>
          <tr>
            <th scope="col">Scope</th>
            <th scope="col">Value</th>
            <th scope="col">Target</th>
            <th scope="col">Warn margin</th>
            <th scope="col">Status</th>
            {csrfToken && <th scope="col"><span className="visually-hidden">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.dimension ?? ""}>
              <th scope="row">{row.dimension ?? "Whole project"}</th>
              <td className="num">{formatExact(row.value, kpi.unit)}</td>
              <td className="num">{row.target ? formatExact(row.target.value, kpi.unit) : "—"}</td>
              <td className="num">{row.target ? formatExact(row.target.warn, kpi.unit) : "—"}</td>
              <td className={`status status-${row.status}`}>{statusLabels[row.status]}</td>
              {csrfToken && (
                <td>
                  {row.target && (
                    <ActionForm action={removeTargetAction} className="inline">
                      <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
                      <input type="hidden" name="project" value={project.slug} />
                      <input type="hidden" name="kpi" value={kpi.id} />
                      <input type="hidden" name="dimension" value={row.dimension ?? ""} />
                      <button type="submit" className="secondary" aria-label={`Remove the target for ${kpi.title}, ${row.dimension ?? "whole project"}`}>
                        Remove
                      </button>
                    </ActionForm>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {csrfToken && (
        <TargetForm project={project.slug} kpi={kpi.id} title={kpi.title} unitLabel={unitLabels[kpi.unit]} csrfToken={csrfToken} dimensions={dimensionChoices(kpi, project, rows)} />
      )}
      <History kpi={kpi} changes={history} />
    </section>
  );
}

/** What the form's dimension field offers: the project's models or datasets, or MODEL/METRIC pairs seen so far. */
function dimensionChoices(kpi: Kpi, project: ProjectConfig, rows: Row[]): TargetFormProps["dimensions"] {
  const kind = kpi.dimension;
  if (kind === null) return null;
  if (kind === "model_metric") {
    const seen = rows.map((row) => row.dimension).filter((d): d is string => d !== null);
    return { label: "Model/metric", options: seen, freeText: true, required: true };
  }
  return { label: kind === "model" ? "Model" : "Dataset", options: kind === "model" ? project.models : project.datasets, freeText: false, required: false };
}

function History({ kpi, changes }: { kpi: Kpi; changes: TargetChange[] }) {
  if (changes.length === 0) return <p className="empty">No target was ever set.</p>;
  const describe = (target: TargetChange["old"]) =>
    target
      ? `${formatExact(target.value, kpi.unit)} (warn ${target.warn === null ? "10 %" : formatExact(target.warn, kpi.unit)})` +
        (target.owner ? `, owner ${target.owner}` : "") +
        (target.due ? `, due ${formatDay(target.due)}` : "")
      : "none";
  return (
    <details>
      <summary>History ({changes.length} {changes.length === 1 ? "change" : "changes"})</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">Scope</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((change, index) => (
            <tr key={index}>
              <td>{formatUtcMinute(change.setAt)}</td>
              <td>{change.setBy}</td>
              <td>{change.dimension ?? "Whole project"}</td>
              <td>{describe(change.old)}</td>
              <td>{describe(change.new)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
