/**
 * A KPI value as the cards and pages show it: the value, its status as colour AND words, the
 * target, the change against the previous window and the DORA band.
 */
import { bandLabels, changeVerdict, formatChange, formatValue, statusLabels } from "@/lib/format/values";
import type { Direction } from "@/lib/kpis/kpi";
import type { ReportEntry } from "@/lib/report/build";

export function StatusBadge({ status }: { status: ReportEntry["status"] }) {
  return <span className={`badge status-badge-${status}`}>{statusLabels[status]}</span>;
}

export function BandBadge({ band }: { band: ReportEntry["band"] }) {
  if (!band) return null;
  return (
    <span className={`badge band-${band}`} title="DORA performance band">
      DORA {bandLabels[band]}
    </span>
  );
}

/** "Target ≤ 24 h" (≥ when higher is better); a bare value where the direction is per entry; null without a target (the badge says so). */
export function targetText(entry: ReportEntry, direction: Direction | null): string | null {
  if (!entry.target) return null;
  const sign = direction === "higher" ? "≥ " : direction === "lower" ? "≤ " : "";
  return `Target ${sign}${formatValue(entry.target.value, entry.unit)}`;
}

export function ChangeLine({ entry, direction, days }: { entry: ReportEntry; direction: Direction | null; days: number }) {
  const change = formatChange(entry.value, entry.previous, entry.unit);
  if (change === null) return <span className="change">No value for the previous {days} days to compare</span>;
  const verdict = changeVerdict(entry.value, entry.previous, direction);
  const arrow = verdict === "same" || change === "no change" ? "" : (entry.value ?? 0) > (entry.previous ?? 0) ? "▲ " : "▼ ";
  return (
    <span className={`change ${verdict ? `change-${verdict}` : ""}`}>
      {arrow}
      {change} vs previous {days} days{verdict && verdict !== "same" ? ` (${verdict})` : ""}
    </span>
  );
}

/** The direction a report entry is judged in: the KPI's, except model quality's metrics, whose direction the report does not carry. */
export function entryDirection(entry: ReportEntry, kpiDirection: Direction): Direction | null {
  return entry.id === "model_quality" ? null : kpiDirection;
}
