/** Changes as the weekly email words them (values themselves format through lib/format/values.ts, like the pages). */
import type { Unit } from "@/lib/kpis/kpi";
import { formatChangeSize } from "@/lib/format/values";

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

/**
 * A row's change from the week before in words: "up 40%" (its `change`, relative) — and a
 * percentage's in percentage points, as the pages say it: "down 5.3 pts" for 5.3 % → 0 %, never
 * "down 100%". Null when there is no change to tell (a value missing; a count from zero).
 */
export function rowChangeWords(row: { unit: Unit; value: number | null; previous: number | null; change: number | null }): string | null {
  if (row.unit !== "percent") return row.change === null ? null : changeWords(row.change);
  if (row.value === null || row.previous === null) return null;
  const delta = row.value - row.previous;
  const size = formatChangeSize(delta, row.unit);
  return size === formatChangeSize(0, row.unit) ? "unchanged" : `${delta > 0 ? "up" : "down"} ${size}`;
}
