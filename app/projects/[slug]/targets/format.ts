/** Numbers in their KPI's unit, for the targets page. */
import type { Unit } from "../../../../lib/kpis/kpi";
import type { Status } from "../../../../lib/targets";

export const unitLabels: Record<Unit, string> = { per_day: "per day", hours: "hours", percent: "%", count: "count", ratio: "ratio" };

const number = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 3 });

export function formatValue(value: number | null, unit: Unit): string {
  if (value === null) return "—";
  const text = number.format(value);
  return unit === "percent" ? `${text} %` : unit === "per_day" ? `${text}/day` : unit === "hours" ? `${text} h` : text;
}

export const statusLabels: Record<Status, string> = { met: "Met", at_risk: "At risk", missed: "Missed", no_target: "No target", no_data: "No data" };
