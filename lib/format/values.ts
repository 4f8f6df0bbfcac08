/**
 * KPI values, changes, statuses and dates as people read them: "3.29 / day", "18.5 h",
 * "4.2 days", "12.5 %". The pages and the weekly email format through here so a number reads
 * the same everywhere.
 */
import { TZDate } from "@date-fns/tz";
import type { Band, Direction, Pillar, Unit } from "@/lib/kpis/kpi";
import type { Status } from "@/lib/targets/targets";

/** From this many hours on, a duration reads better in days ("3.5 days" rather than "84 h"). */
const HOURS_SHOWN_AS_DAYS = 48;
const HOURS_PER_DAY = 24;
const MINUTES_PER_HOUR = 60;

/** A KPI value with its unit; "—" for no value. */
export function formatValue(value: number | null, unit: Unit): string {
  if (value === null) return "—";
  switch (unit) {
    case "per_day":
      return `${number(value, value >= 10 ? 1 : 2)} / day`;
    case "hours":
      return duration(value);
    case "percent":
      return `${number(value, 1)} %`;
    case "count":
      return number(value, 0);
    case "ratio":
      return number(value, 3);
  }
}

/** A duration in hours: minutes below an hour, hours below two days, then days. */
function duration(hours: number): string {
  if (Math.abs(hours) < 1) return `${number(hours * MINUTES_PER_HOUR, 0)} min`;
  if (Math.abs(hours) < HOURS_SHOWN_AS_DAYS) return `${number(hours, 1)} h`;
  return `${number(hours / HOURS_PER_DAY, 1)} days`;
}

/** Up to `digits` decimals, trailing zeros dropped, thousands grouped; a true minus sign. */
function number(value: number, digits: number): string {
  return new Intl.NumberFormat("en-GB", { maximumFractionDigits: digits }).format(value).replace("-", "−");
}

/** Unit names as the target form asks for them: "Target (per day)". */
export const unitLabels: Record<Unit, string> = { per_day: "per day", hours: "hours", percent: "%", count: "count", ratio: "ratio" };

/**
 * A value exactly as a target is entered (up to 3 decimals, always in the KPI's own unit, so
 * hours stay hours): "1.643/day", "36 h". Where a target is set, the number must read back as typed.
 */
export function formatExact(value: number | null, unit: Unit): string {
  if (value === null) return "—";
  const text = number(value, 3);
  return unit === "percent" ? `${text} %` : unit === "per_day" ? `${text}/day` : unit === "hours" ? `${text} h` : text;
}

/** The change from the previous window in the KPI's unit, signed: "+0.32 / day", "−7.7 h", "+4.7 pts"; null without both values. */
export function formatChange(value: number | null, previous: number | null, unit: Unit): string | null {
  if (value === null || previous === null) return null;
  const delta = value - previous;
  if (isZero(delta)) return "no change";
  const sign = delta > 0 ? "+" : "−";
  const magnitude = Math.abs(delta);
  // A change of a percentage is in percentage points: 10 % → 12 % is +2 pts, not +20 %.
  const shown = unit === "percent" ? `${number(magnitude, 1)} pts` : formatValue(magnitude, unit);
  return `${sign}${shown}`;
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

export const statusLabels: Record<Status, string> = {
  met: "Target met",
  at_risk: "At risk",
  missed: "Target missed",
  no_target: "No target",
  no_data: "No data",
};

/** A DORA Quick Check score (0–10) to one decimal, as dora.dev shows it. */
export function formatScore(score: number): string {
  return score.toFixed(1);
}

export const bandLabels: Record<Band, string> = { elite: "Elite", high: "High", medium: "Medium", low: "Low" };

export const pillarLabels: Record<Pillar, string> = { delivery: "Delivery (DORA)", code: "Code", model: "Model", data: "Data" };

export const directionLabels: Record<Direction, string> = { higher: "higher is better", lower: "lower is better" };

/** One formatter per zone: an events table formats hundreds of instants. */
const instantFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant as a local date and time in `timezone`: "22 Nov 2026, 14:03". */
export function formatInstant(iso: string, timezone: string): string {
  let formatter = instantFormats.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: timezone });
    instantFormats.set(timezone, formatter);
  }
  return formatter.format(new Date(iso));
}

/** A calendar date YYYY-MM-DD as "22 Nov 2026" (no zone: it is already a local date). */
export function formatDay(date: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(Date.UTC(year, month - 1, day));
}

/** "UTC+01:00"-style offset of a zone at an instant, shown beside the zone's name. */
export function zoneOffset(timezone: string, at: Date = new Date()): string {
  const minutes = -new TZDate(at.getTime(), timezone).getTimezoneOffset();
  const sign = minutes < 0 ? "−" : "+";
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / MINUTES_PER_HOUR)).padStart(2, "0")}:${String(abs % MINUTES_PER_HOUR).padStart(2, "0")}`;
}

/** A calendar date YYYY-MM-DD as a short chart label: "16 Nov". */
export function formatShortDay(date: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }).format(Date.UTC(year, month - 1, day));
}

/** A window's dates for people: "26 Oct – 22 Nov 2026". */
export function formatRange(from: string, to: string): string {
  return from === to ? formatDay(from) : `${from.slice(0, 4) === to.slice(0, 4) ? formatShortDay(from) : formatDay(from)} – ${formatDay(to)}`;
}

/**
 * Tick labels for a chart axis of `unit` whose largest value is `max`: one unit for the whole
 * axis, so a duration axis reads "0 h, 20 h, 40 h" or "0 days, 2 days, 4 days", never both.
 */
export function axisTicks(unit: Unit, max: number): (value: number) => string {
  if (unit !== "hours") return (value) => formatValue(value, unit);
  if (max >= HOURS_SHOWN_AS_DAYS) return (value) => `${number(value / HOURS_PER_DAY, 1)} days`;
  if (max >= 1) return (value) => `${number(value, 1)} h`;
  return (value) => `${number(value * MINUTES_PER_HOUR, 0)} min`;
}

/** The step between ticks of a duration axis shown in days: whole days, about five ticks; undefined lets the chart choose. */
export function axisStep(unit: Unit, max: number): number | undefined {
  if (unit !== "hours" || max < HOURS_SHOWN_AS_DAYS) return undefined;
  const TICKS = 5;
  return HOURS_PER_DAY * Math.max(1, Math.ceil(max / HOURS_PER_DAY / TICKS));
}

/** A source's link as an href only when it is http(s): a `javascript:` or `data:` URL from a source must not become a link. */
export function webLink(url: string | null): string | null {
  return url !== null && /^https?:\/\//i.test(url.trim()) ? url.trim() : null;
}
