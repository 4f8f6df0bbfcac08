/** One KPI of a project as a card: the overview's grid and the project page's headline. */
import { formatValue } from "@/lib/format/values";
import { findKpi } from "@/lib/kpis/catalog";
import type { ReportEntry } from "@/lib/report/build";
import { BandBadge, ChangeLine, entryDirection, StatusBadge, targetText } from "./kpi-figures";

/** How many per-model or per-dataset values a card lists before "and N more". */
const DIMENSIONS_ON_CARD = 4;

export function KpiCard({ entries, href, days }: { entries: ReportEntry[]; href: string; days: number }) {
  const [entry, ...dimensions] = entries as [ReportEntry, ...ReportEntry[]];
  const kpi = findKpi(entry.id)!;
  const direction = entryDirection(entry, kpi.direction);
  // Model quality's project line has no value of its own: its metrics carry the values.
  const perDimensionOnly = entry.value === null && dimensions.length > 0;
  return (
    <li className={`kpi-card status-${perDimensionOnly ? "none" : entry.status}`}>
      <h4>
        <a href={href}>{kpi.title}</a>
      </h4>
      {perDimensionOnly ? (
        <p className="value value-small">per {entry.id === "model_quality" ? "model metric" : "entry"}, below</p>
      ) : (
        <p className="value">{formatValue(entry.value, entry.unit)}</p>
      )}
      {!perDimensionOnly && (
        <p className="badges">
          <StatusBadge status={entry.status} /> <BandBadge band={entry.band} />
        </p>
      )}
      {!perDimensionOnly && entry.target && <p className="meta">{targetText(entry, direction)}</p>}
      {!perDimensionOnly && (
        <p className="meta">
          <ChangeLine entry={entry} direction={direction} days={days} />
        </p>
      )}
      {dimensions.length > 0 && (
        <ul className="dimensions">
          {dimensions.slice(0, DIMENSIONS_ON_CARD).map((d) => (
            <li key={d.dimension}>
              <span className="dimension-name">{d.dimension}</span> <span className="num">{formatValue(d.value, d.unit)}</span>
              {d.target && (
                <>
                  {" "}
                  <StatusBadge status={d.status} />
                </>
              )}
            </li>
          ))}
          {dimensions.length > DIMENSIONS_ON_CARD && <li className="meta">and {dimensions.length - DIMENSIONS_ON_CARD} more</li>}
        </ul>
      )}
    </li>
  );
}

/** Report entries grouped by KPI (project entry first, then its dimensions), in report order. */
export function entriesByKpi(entries: ReportEntry[]): ReportEntry[][] {
  const groups = new Map<string, ReportEntry[]>();
  for (const entry of entries) groups.set(entry.id, [...(groups.get(entry.id) ?? []), entry]);
  return [...groups.values()];
}
