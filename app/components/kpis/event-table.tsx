/** The events behind a KPI value: exactly the records it was computed from, in the project's zone. */
import { formatInstant } from "@/lib/format/dates";
import { webLink } from "@/lib/format/links";
import { formatValue } from "@/lib/format/values";
import type { KpiEvent, Unit } from "@/lib/kpis/kpi";

export function EventTable({ events, unit, timezone }: { events: KpiEvent[]; unit: Unit; timezone: string }) {
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
                {valueUnit && <td className="num">{formatValue(event.value, valueUnit)}</td>}
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
