/** The sprint's failed deployments and incidents, each linking to its source when that is a web page. */
import { formatInstant } from "@/lib/format/dates";
import { webLink } from "@/lib/format/links";
import { formatValue } from "@/lib/format/values";
import type { KpiEvent } from "@/lib/kpis/kpi";
import type { RetroIncident } from "@/lib/report/retro";

export function FailedDeployments({ events, previous, timezone }: { events: KpiEvent[]; previous: number; timezone: string }) {
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

export function Incidents({ list, previous, timezone }: { list: RetroIncident[]; previous: number; timezone: string }) {
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
                <td className="num">{formatValue(incident.hours, "hours")}</td>
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
