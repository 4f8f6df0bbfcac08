/**
 * The retro view (issue #7): one sprint of a project beside the previous sprint of the same
 * length, laid out to be printed. Without from/to it shows the last 14 days ending yesterday in
 * the project's zone. Everything is read through lib/report/retro.ts; this file only formats.
 */
import { format, parseISO } from "date-fns";
import { notFound } from "next/navigation";
import { requireViewer } from "@/lib/auth/guard";
import { formatInstant, webLink } from "@/lib/format/values";
import { PrintButton } from "@/app/components/retro/print-button";
import { RetroChart } from "@/app/components/retro/retro-chart";
import type { KpiEvent, Unit } from "@/lib/kpis/kpi";
import { UserError } from "@/lib/errors/user-error";
import { buildRetro, MAX_RETRO_DAYS, type Comparison, type Retro, type RetroIncident } from "@/lib/report/retro";
import { getServerRuntime } from "@/lib/server/shared-runtime";

export const dynamic = "force-dynamic";

type Query = Record<string, string | string[] | undefined>;

export default async function RetroPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Query> }) {
  await requireViewer();
  const { slug } = await params;
  const query = await searchParams;
  const from = first(query.from);
  const to = first(query.to);
  const { config, store } = await getServerRuntime();
  const project = config.projects.find((p) => p.slug === slug);
  if (!project) notFound();
  let retro: Retro;
  try {
    retro = await buildRetro(store, config, { project: slug, from, to });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return (
      <>
        <Breadcrumb slug={slug} name={project.name} />
        <h1>Retro — {project.name}</h1>
        <p className="retro-error" role="alert">
          Cannot show this window: {error.message}.
        </p>
        <WindowForm slug={slug} from={from ?? ""} to={to ?? ""} />
      </>
    );
  }
  const { window, previous } = retro;
  return (
    <>
      <Breadcrumb slug={slug} name={project.name} />
      <div className="retro-title">
        <h1>Retro — {retro.project.name}</h1>
        <PrintButton />
      </div>
      <p className="meta">
        Sprint <strong>{longDate(window.from)} – {longDate(window.to)}</strong> ({window.days} days, {window.timezone}), compared
        with the previous sprint of the same length, {longDate(previous.from)} – {longDate(previous.to)}.
      </p>
      <WindowForm slug={slug} from={window.from} to={window.to} previous={previous} />
      <Summary rows={retro.summary} />
      <DeploysPerDay retro={retro} />
      <FailedDeployments events={retro.failed_deployments.events} previous={retro.failed_deployments.previous} timezone={window.timezone} />
      <Incidents list={retro.incidents.list} previous={retro.incidents.previous} timezone={window.timezone} />
    </>
  );
}

function Breadcrumb({ slug, name }: { slug: string; name: string }) {
  return (
    <nav aria-label="Breadcrumb" className="retro-breadcrumb no-print">
      <a href="/">Projects</a> › <a href={`/projects/${slug}`}>{name}</a> › Retro
    </nav>
  );
}

function WindowForm({ slug, from, to, previous }: { slug: string; from: string; to: string; previous?: { from: string; to: string } }) {
  return (
    <form className="retro-window no-print" method="get" action={`/projects/${slug}/retro`}>
      <label>
        From <input type="date" name="from" defaultValue={from} required />
      </label>
      <label>
        To <input type="date" name="to" defaultValue={to} required />
      </label>
      <button type="submit">Show sprint</button>
      {previous && <a href={`/projects/${slug}/retro?from=${previous.from}&to=${previous.to}`}>← Previous sprint</a>}
      <a href={`/projects/${slug}/retro`}>Last 14 days</a>
      <span className="meta">Up to {MAX_RETRO_DAYS} days; both dates count.</span>
    </form>
  );
}

function Summary({ rows }: { rows: Comparison[] }) {
  return (
    <section className="card retro-section" aria-labelledby="retro-summary">
      <h2 id="retro-summary">The sprint in numbers</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col" className="num">This sprint</th>
            <th scope="col" className="num">Previous sprint</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">
                {row.title} <span className="meta">({row.note})</span>
              </th>
              <td className="num">{formatValue(row.value, row.unit)}</td>
              <td className="num">{formatValue(row.previous, row.unit)}</td>
              <td className={row.better === null ? undefined : row.better ? "change-better" : "change-worse"}>{formatChange(row)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="meta">
        Values with no data show “no data” (e.g. lead time needs deployments with commits). “Better” and “worse” follow each
        measure’s direction: more deployments is better, a higher failure rate is worse.
      </p>
    </section>
  );
}

function DeploysPerDay({ retro }: { retro: Retro }) {
  const { current, previous } = retro.days;
  const total = (days: { deployments: number }[]) => days.reduce((sum, day) => sum + day.deployments, 0);
  const summary = `Deployments per day: ${total(current)} this sprint, ${total(previous)} in the previous sprint.`;
  return (
    <section className="card retro-section" aria-labelledby="retro-days">
      <h2 id="retro-days">Deployments per day</h2>
      <p className="meta">
        Completed production deployments per calendar day ({retro.window.timezone}). Grey bars: the same day of the previous
        sprint ({shortDate(retro.previous.from)} – {shortDate(retro.previous.to)}).
      </p>
      {total(current) + total(previous) === 0 && (
        <p className="empty">
          No production deployments in either sprint. Deployments come from a deployment log (<code>sources.deploy_logs</code> or{" "}
          <code>shipshape ingest</code>) or GitHub deployments; check the project’s <code>services</code>, <code>models</code>,{" "}
          <code>github.repos</code> and <code>production_environments</code> in shipshape.yaml.
        </p>
      )}
      <RetroChart
        current={current}
        previous={previous}
        currentLabels={current.map((day) => shortDate(day.date))}
        previousLabels={previous.map((day) => shortDate(day.date))}
        summary={summary}
      />
      <details className="retro-table-alternative">
        <summary>Deployments per day as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Day of sprint</th>
              <th scope="col">This sprint</th>
              <th scope="col" className="num">Deployments</th>
              <th scope="col">Previous sprint</th>
              <th scope="col" className="num">Deployments</th>
            </tr>
          </thead>
          <tbody>
            {current.map((day, index) => (
              <tr key={day.date}>
                <td className="num">{index + 1}</td>
                <td>{shortDate(day.date)}</td>
                <td className="num">{day.deployments}</td>
                <td>{shortDate(previous[index]!.date)}</td>
                <td className="num">{previous[index]!.deployments}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function FailedDeployments({ events, previous, timezone }: { events: KpiEvent[]; previous: number; timezone: string }) {
  return (
    <section className="card retro-section" aria-labelledby="retro-failed">
      <h2 id="retro-failed">Failed deployments</h2>
      <p className="meta">
        {events.length} this sprint, {previous} in the previous sprint. A production deployment failed when it was rolled back, an
        incident is attributed to it, or a later pull request reverted one of its changes.
      </p>
      {events.length === 0 ? (
        <p className="empty">No failed deployments in this sprint.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Finished</th>
              <th scope="col">Deployment — why it failed</th>
              <th scope="col">Id</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={`${event.source}:${event.id}`}>
                <td>{formatInstant(event.at, timezone)}</td>
                <td>
                  <Linked text={event.title ?? event.id} url={event.url} />
                </td>
                <td>
                  <code>{event.id}</code>
                </td>
                <td>{event.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Incidents({ list, previous, timezone }: { list: RetroIncident[]; previous: number; timezone: string }) {
  return (
    <section className="card retro-section" aria-labelledby="retro-incidents">
      <h2 id="retro-incidents">Incidents</h2>
      <p className="meta">
        {list.length} started this sprint, {previous} in the previous sprint: deployment-log incidents, Jira issues of an incident
        type and GitHub issues labelled incident.
      </p>
      {list.length === 0 ? (
        <p className="empty">No incidents started in this sprint.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Incident</th>
              <th scope="col">Id</th>
              <th scope="col">Source</th>
              <th scope="col">Resolved</th>
              <th scope="col" className="num">Took</th>
            </tr>
          </thead>
          <tbody>
            {list.map((incident) => (
              <tr key={`${incident.source}:${incident.id}`}>
                <td>{formatInstant(incident.started_at, timezone)}</td>
                <td>
                  <Linked text={incident.title ?? "(no title)"} url={incident.url} />
                </td>
                <td>
                  <code>{incident.id}</code>
                </td>
                <td>{incident.source}</td>
                <td>{incident.resolved_at ? formatInstant(incident.resolved_at, timezone) : "still open"}</td>
                <td className="num">{incident.hours === null ? "—" : formatValue(incident.hours, "hours")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Source text stays text (React escapes it); it becomes a link only for an http(s) URL. */
function Linked({ text, url }: { text: string; url: string | null }) {
  const href = webLink(url);
  return href ? (
    <a href={href} rel="noopener noreferrer">
      {text}
    </a>
  ) : (
    <>{text}</>
  );
}

const HOURS_PER_DAY = 24;

function formatValue(value: number | null, unit: Unit): string {
  if (value === null) return "no data";
  switch (unit) {
    case "per_day":
      return `${value.toFixed(2)} / day`;
    case "percent":
      return `${value.toFixed(1)} %`;
    case "hours":
      return Math.abs(value) >= 2 * HOURS_PER_DAY ? `${(value / HOURS_PER_DAY).toFixed(1)} days` : `${value.toFixed(1)} h`;
    default:
      return String(Math.round(value * 100) / 100);
  }
}

function formatChange({ change, better, unit }: Comparison): string {
  if (change === null) return "—";
  if (change === 0) return "no change";
  // A change of a percentage is in percentage points, not percent of the previous value.
  const amount = unit === "percent" ? `${Math.abs(change).toFixed(1)} points` : formatValue(Math.abs(change), unit);
  const signed = `${change > 0 ? "▲ +" : "▼ −"}${amount}`;
  return `${signed} (${better ? "better" : "worse"})`;
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const shortDate = (date: string) => format(parseISO(date), "EEE d MMM");
const longDate = (date: string) => format(parseISO(date), "EEE d MMM yyyy");
