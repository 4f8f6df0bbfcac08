/** One KPI of a project as a card: the overview's grid and the project page's headline. */
import { formatValue } from "@/lib/format/values";
import type { KpiGroup } from "@/lib/report/view";
import { BandBadge, ChangeLine, StatusBadge, targetText } from "./kpi-figures";

/** How many per-model or per-dataset values a card lists before "and N more". */
const DIMENSIONS_ON_CARD = 4;

export function KpiCard({ group, href, days }: { group: KpiGroup; href: string; days: number }) {
  const { entry, dimensions, perDimensionOnly } = group;
  return (
    <li className={`kpi-card status-${perDimensionOnly ? "none" : entry.status}`}>
      <h4>
        <a href={href}>{entry.title}</a>
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
      {!perDimensionOnly && entry.target && <p className="meta">{targetText(entry)}</p>}
      {!perDimensionOnly && (
        <p className="meta">
          <ChangeLine entry={entry} days={days} />
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
