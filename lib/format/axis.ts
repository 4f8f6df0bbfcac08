/** Chart axes in a KPI's unit: one unit along a whole axis, and steps a reader can count. */
import type { Unit } from "@/lib/kpis/kpi";
import { HOURS_PER_DAY, MINUTES_PER_HOUR } from "@/lib/time/units";
import { formatNumber, formatValue, HOURS_SHOWN_AS_DAYS } from "./values";

/**
 * Tick labels for a chart axis of `unit` whose largest value is `max`: one unit for the whole
 * axis, so a duration axis reads "0 h, 20 h, 40 h" or "0 days, 2 days, 4 days", never both.
 */
export function axisTicks(unit: Unit, max: number): (value: number) => string {
  if (unit !== "hours") return (value) => formatValue(value, unit);
  if (max >= HOURS_SHOWN_AS_DAYS) return (value) => `${formatNumber(value / HOURS_PER_DAY, 1)} days`;
  if (max >= 1) return (value) => `${formatNumber(value, 1)} h`;
  return (value) => `${formatNumber(value * MINUTES_PER_HOUR, 0)} min`;
}

/** The step between ticks of a duration axis shown in days: whole days, about five ticks; undefined lets the chart choose. */
export function axisStep(unit: Unit, max: number): number | undefined {
  if (unit !== "hours" || max < HOURS_SHOWN_AS_DAYS) return undefined;
  const TICKS = 5;
  return HOURS_PER_DAY * Math.max(1, Math.ceil(max / HOURS_PER_DAY / TICKS));
}

/**
 * One unit for a whole column of a table, picked from the column's values as an axis picks it
 * from the chart's: a trend table's durations read "2.4 days" above "1.5 days", never "36.4 h"
 * below "2.4 days". `empty` ("—") for no value.
 */
export function columnFormat(unit: Unit, values: readonly (number | null)[], empty = "—"): (value: number | null) => string {
  const ticks = axisTicks(unit, Math.max(0, ...values.map((value) => Math.abs(value ?? 0))));
  return (value) => (value === null ? empty : ticks(value));
}
