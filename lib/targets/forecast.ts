/**
 * Will a target be met by its due date? A forecast from the KPI's weekly series (the complete
 * Monday–Sunday weeks of lib/report/trends.ts, up to the report window's end):
 *
 * 1. **The series**: the last FORECAST_WEEKS (12) weeks; a week without a value is left out. With
 *    fewer than MIN_WEEKS (6) values there is no forecast: "not enough data". (The caller gives
 *    the values in the target's terms: lib/report/build.ts scales a count to the window's length.)
 * 2. **The fit**: Theil–Sen. Each week is a point at its middle (Thursday noon, in days); the slope
 *    is the median of the slopes between every pair of points, the intercept the median of
 *    `y − slope · x`. One odd week (an outage, a holiday) moves a least-squares line; it does not
 *    move these medians (up to ~29 % of the points can be wild before the slope breaks down).
 * 3. **The projection**: the line at the due date (its noon). A due date already behind the last
 *    week is read at the last week: the line is not drawn backwards, and the status then says
 *    whether the trend meets the target now.
 * 4. **The band**: an 80 % prediction interval, `±t(0.9, n−2) · σ · √(1 + 1/n + (x₀ − x̄)² / Σ(x − x̄)²)`
 *    — the textbook interval for a new observation on a fitted line, with the robust scale
 *    σ = 1.4826 · median |residual| (the normal-consistent MAD; the intercept makes the median
 *    residual 0) in place of the least-squares standard error, so the outlier the fit ignores
 *    does not widen the band either. 80 % rather than 95 %: on 6–12 weekly points a 95 % band
 *    is so wide that it straddles almost every target and says nothing; 80 % is the "likely
 *    range" forecasters show, and it widens the further the due date lies ahead.
 * 5. **Bounds**: value and band stay within what the unit can mean (no negative counts, rates or
 *    durations, percentages 0–100).
 * 6. **Status**: `on_track` when the projected value meets the target in the KPI's direction
 *    (the status rule's "met", lib/targets/status.ts), else `off_track`.
 */
import type { Direction, Unit } from "@/lib/kpis/kpi";
import { formatDay, formatShortDay } from "@/lib/format/dates";
import { formatValue } from "@/lib/format/values";
import { DAYS_PER_WEEK, MS_PER_DAY } from "@/lib/time/units";
import { statusOf } from "./status";

export type ForecastStatus = "on_track" | "off_track" | "not_enough_data";

/** What a report entry carries for a target with a due date (interfaces.md, "Report JSON"). */
export interface Forecast {
  /** The target's due date, YYYY-MM-DD. */
  due: string;
  /** The projected value at the due date; null when there is not enough data. */
  value: number | null;
  /** The 80 % prediction interval around it. */
  low: number | null;
  high: number | null;
  status: ForecastStatus;
}

/** One week of the series: its Monday and the KPI's value that week (null: no data). */
export interface WeeklyValue {
  monday: string;
  value: number | null;
}

/** How many of the latest weeks the fit reads. */
export const FORECAST_WEEKS = 12;
/** Fewer weekly values than this: "not enough data". */
export const MIN_WEEKS = 6;
/** The prediction interval's coverage. */
export const INTERVAL = 0.8;

/** The normal distribution's MAD-to-σ factor, 1 / Φ⁻¹(0.75). */
const MAD_TO_SIGMA = 1.4826;

/** Student's t at 0.90 (two-sided 80 %) by degrees of freedom, n − 2 for n = 6…12 points. */
const T_90: Record<number, number> = { 4: 1.533, 5: 1.476, 6: 1.44, 7: 1.415, 8: 1.397, 9: 1.383, 10: 1.372 };

/** A week's value sits at its middle: Monday + 3.5 days. A due date is read at its noon. */
const MID_WEEK = DAYS_PER_WEEK / 2;
const NOON = 0.5;

export interface Line {
  slope: number;
  intercept: number;
}

/** The Theil–Sen line through the points: the median pairwise slope, then the median intercept. */
export function theilSen(points: readonly { x: number; y: number }[]): Line {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j]!.x - points[i]!.x;
      if (dx !== 0) slopes.push((points[j]!.y - points[i]!.y) / dx);
    }
  }
  const slope = slopes.length ? median(slopes) : 0;
  return { slope, intercept: median(points.map(({ x, y }) => y - slope * x)) };
}

/**
 * The forecast of one target with a due date, from the KPI's weekly series (oldest first; only
 * the last FORECAST_WEEKS are read).
 */
export function forecastTarget(series: readonly WeeklyValue[], target: { value: number; due: string }, direction: Direction, unit: Unit): Forecast {
  const points = series
    .slice(-FORECAST_WEEKS)
    .flatMap(({ monday, value }) => (value === null || !Number.isFinite(value) ? [] : [{ x: dayNumber(monday) + MID_WEEK, y: value }]));
  const none: Forecast = { due: target.due, value: null, low: null, high: null, status: "not_enough_data" };
  if (points.length < MIN_WEEKS) return none;

  const line = theilSen(points);
  const at = (x: number) => line.intercept + line.slope * x;
  const x0 = Math.max(dayNumber(target.due) + NOON, points.at(-1)!.x);

  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const sxx = points.reduce((sum, p) => sum + (p.x - meanX) ** 2, 0);
  const sigma = MAD_TO_SIGMA * median(points.map((p) => Math.abs(p.y - at(p.x))));
  const half = T_90[n - 2]! * sigma * Math.sqrt(1 + 1 / n + (x0 - meanX) ** 2 / sxx);

  const bound = bounded(unit);
  const value = bound(at(x0));
  return {
    due: target.due,
    value,
    low: bound(at(x0) - half),
    high: bound(at(x0) + half),
    status: statusOf(value, { value: target.value, warn: 0 }, direction) === "met" ? "on_track" : "off_track",
  };
}

/**
 * The forecast in words, values through lib/format: "on track", "off track — at this pace
 * 2.1 / day by 31 Mar, target 3 / day", "not enough data". `today` (YYYY-MM-DD) tells a due date
 * that has passed ("off track — due 31 Mar has passed; the trend is at …") and whether the
 * date needs its year (a due date in another year than `today`).
 */
export function forecastWords(forecast: Forecast, target: { value: number }, unit: Unit, today: string): string {
  if (forecast.status === "not_enough_data" || forecast.value === null) return "not enough data";
  if (forecast.status === "on_track") return "on track";
  const day = forecast.due.slice(0, 4) === today.slice(0, 4) ? formatShortDay(forecast.due) : formatDay(forecast.due);
  const projected = formatValue(forecast.value, unit);
  const wanted = formatValue(target.value, unit);
  if (forecast.due < today) return `off track — due ${day} has passed; the trend is at ${projected}, target ${wanted}`;
  return `off track — at this pace ${projected} by ${day}, target ${wanted}`;
}

/** What a value of the unit can be: no negative counts, rates or durations; percentages 0–100. */
function bounded(unit: Unit): (value: number) => number {
  if (unit === "ratio") return (value) => value;
  const max = unit === "percent" ? 100 : Infinity;
  return (value) => Math.min(max, Math.max(0, value));
}

/** Days since 1970-01-01 of a calendar date (zone-free: only differences of dates matter). */
function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
