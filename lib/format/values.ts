/**
 * KPI values and their changes as people read them: "3.29 / day", "18.5 h", "4.2 days",
 * "12.5 %". The pages, the CLI and the weekly email format through here so a number reads the
 * same everywhere.
 */
import type { Direction, Unit } from "@/lib/kpis/kpi";
import { HOURS_PER_DAY, MINUTES_PER_HOUR } from "@/lib/time/units";

/** From this many hours on, a duration reads better in days ("3.5 days" rather than "84 h"). */
export const HOURS_SHOWN_AS_DAYS = 48;

/** A KPI value with its unit; `empty` ("—") for no value. */
export function formatValue(value: number | null, unit: Unit, empty = "—"): string {
  if (value === null) return empty;
  switch (unit) {
    case "per_day":
      return `${formatNumber(value, value >= 10 ? 1 : 2)} / day`;
    case "hours":
      return duration(value);
    case "percent":
      return `${formatNumber(value, 1)} %`;
    case "count":
      return formatNumber(value, 0);
    case "ratio":
      return formatNumber(value, 3);
  }
}

/** A duration in hours: minutes below an hour, hours below two days, then days. */
function duration(hours: number): string {
  if (Math.abs(hours) < 1) return `${formatNumber(hours * MINUTES_PER_HOUR, 0)} min`;
  if (Math.abs(hours) < HOURS_SHOWN_AS_DAYS) return `${formatNumber(hours, 1)} h`;
  return `${formatNumber(hours / HOURS_PER_DAY, 1)} days`;
}

/** Up to `digits` decimals, trailing zeros dropped, thousands grouped; a true minus sign. */
export function formatNumber(value: number, digits: number): string {
  return new Intl.NumberFormat("en-GB", { maximumFractionDigits: digits }).format(value).replace("-", "−");
}

/**
 * A value exactly as a target is entered (up to 3 decimals, always in the KPI's own unit, so
 * hours stay hours): "1.643/day", "36 h". Where a target is set, the number must read back as typed.
 */
export function formatExact(value: number | null, unit: Unit): string {
  if (value === null) return "—";
  const text = formatNumber(value, 3);
  return unit === "percent" ? `${text} %` : unit === "per_day" ? `${text}/day` : unit === "hours" ? `${text} h` : text;
}

/** The change from the previous window in the KPI's unit, signed: "+0.32 / day", "−7.7 h", "+4.7 pts"; null without both values. */
export function formatChange(value: number | null, previous: number | null, unit: Unit): string | null {
  if (value === null || previous === null) return null;
  const delta = value - previous;
  if (isZero(delta)) return "no change";
  const sign = delta > 0 ? "+" : "−";
  return `${sign}${formatChangeSize(delta, unit)}`;
}

/**
 * How large a change is, unsigned, in the KPI's unit: "0.32 / day", "7.7 h" — and a change of a
 * percentage in percentage points: 10 % → 12 % is "2 pts", not 20 %. The pages' changes and the
 * weekly email's both read through here.
 */
export function formatChangeSize(delta: number, unit: Unit): string {
  const magnitude = Math.abs(delta);
  return unit === "percent" ? `${formatNumber(magnitude, 1)} pts` : formatValue(magnitude, unit);
}

/** "▲ " for a rise, "▼ " for a fall, "" when unchanged or unknown: the arrow drawn before a change. */
export function changeArrow(value: number | null, previous: number | null): string {
  if (value === null || previous === null || isZero(value - previous)) return "";
  return value > previous ? "▲ " : "▼ ";
}

export type Verdict = "better" | "worse" | "same";

/** Whether the value moved the good way for its direction; null when either value or the direction is unknown. */
export function changeVerdict(value: number | null, previous: number | null, direction: Direction | null): Verdict | null {
  if (value === null || previous === null || direction === null) return null;
  const delta = value - previous;
  if (isZero(delta)) return "same";
  return (delta > 0) === (direction === "higher") ? "better" : "worse";
}

function isZero(delta: number): boolean {
  return Math.abs(delta) < 1e-9;
}

/** A DORA Quick Check score (0–10) to one decimal, as dora.dev shows it. */
export function formatScore(score: number): string {
  return score.toFixed(1);
}
