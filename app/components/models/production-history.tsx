import { formatInstant } from "@/lib/format/dates";
import type { ProductionSpan } from "@/lib/report/model-history";

/**
 * Which version of each model was live in production, since when and until when, with the
 * version's latest metrics (the KPI page of model_iterations_shipped). Spans that overlap the
 * report window are marked, so the count above can be read against them.
 */
export function ProductionHistory({ spans, timezone, window }: { spans: ProductionSpan[]; timezone: string; window: { start: string; end: string } }) {
  if (spans.length === 0) {
    return (
      <p className="empty">
        No production history yet: it is kept from the MLflow source&apos;s syncs (which version each production alias or the Production stage pointed to, and when).
      </p>
    );
  }
  const inWindow = (span: ProductionSpan) => Date.parse(span.from) < Date.parse(window.end) && (span.to === null || Date.parse(span.to) > Date.parse(window.start));
  return (
    <div className="table-scroll">
      <table className="events model-history">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Version</th>
            <th scope="col">Live from</th>
            <th scope="col">Until</th>
            <th scope="col">Through</th>
            <th scope="col">Metrics</th>
          </tr>
        </thead>
        <tbody>
          {spans.map((span) => (
            <tr key={`${span.model}:${span.version}:${span.from}`} className={inWindow(span) ? "in-window" : undefined}>
              <th scope="row">{span.model}</th>
              <td>{span.version}</td>
              <td className="nowrap">{formatInstant(span.from, timezone)}</td>
              <td className="nowrap">{span.to === null ? <strong>live now</strong> : formatInstant(span.to, timezone)}</td>
              <td>{span.pointers.map((pointer) => pointer.replace(/^alias:/, "alias ").replace(/^stage:/, "stage ")).join(", ")}</td>
              <td>{span.metrics.length === 0 ? "—" : span.metrics.map((metric) => `${metric.metric} ${metric.value}`).join(" · ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
