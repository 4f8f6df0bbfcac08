/**
 * A KPI value as the cards and pages show it: the value, its status as colour AND words, the
 * target, the change against the previous window and the DORA band.
 */
import { bandLabels, statusLabels } from "@/lib/format/labels";
import { changeArrow, changeVerdict, formatChange, formatValue } from "@/lib/format/values";
import type { ReportEntry } from "@/lib/report/build";
import type { EntryView } from "@/lib/report/view";

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
export function targetText(entry: EntryView): string | null {
  if (!entry.target) return null;
  const sign = entry.direction === "higher" ? "≥ " : entry.direction === "lower" ? "≤ " : "";
  return `Target ${sign}${formatValue(entry.target.value, entry.unit)}`;
}

export function ChangeLine({ entry, days }: { entry: EntryView; days: number }) {
  const change = formatChange(entry.value, entry.previous, entry.unit);
  if (change === null) return <span className="change">No value for the previous {days} days to compare</span>;
  const verdict = changeVerdict(entry.value, entry.previous, entry.direction);
  return (
    <span className={`change ${verdict ? `change-${verdict}` : ""}`}>
      {changeArrow(entry.value, entry.previous)}
      {change} vs previous {days} days{verdict && verdict !== "same" ? ` (${verdict})` : ""}
    </span>
  );
}
