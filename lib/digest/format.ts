/** Numbers as the weekly email writes them: the KPI's unit, and changes in words. */
import type { Unit } from "../kpis/kpi";

const UNIT_SUFFIX: Record<Unit, string> = { per_day: "/day", hours: " h", percent: " %", count: "", ratio: "" };

/** "2.43/day", "31.5 h", "12 %", "7", "0.912"; "no data" for null. */
export function formatValue(value: number | null, unit: Unit): string {
  if (value === null) return "no data";
  const digits = unit === "ratio" ? 3 : unit === "per_day" ? 2 : 1;
  const rounded = Number.isInteger(value) ? String(value) : String(Number(value.toFixed(digits)));
  return `${rounded}${UNIT_SUFFIX[unit]}`;
}

/**
 * The relative change from `previous` to `value`, in percent; null when either is missing or
 * the week before was zero (a change from nothing has no percentage).
 */
export function relativeChange(value: number | null, previous: number | null): number | null {
  if (value === null || previous === null || previous === 0) return null;
  return ((value - previous) / Math.abs(previous)) * 100;
}

/** "up 40%", "down 12%", "unchanged"; whole percent, so the subject line stays short. */
export function changeWords(percent: number): string {
  const rounded = Math.round(Math.abs(percent));
  if (rounded === 0) return "unchanged";
  return `${percent > 0 ? "up" : "down"} ${rounded}%`;
}
