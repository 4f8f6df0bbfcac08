/** The words for the report's codes: statuses, DORA bands, pillars, directions and units. */
import type { Band, Direction, Pillar, Unit } from "@/lib/kpis/kpi";
import type { Status } from "@/lib/targets/status";

export const statusLabels: Record<Status, string> = {
  met: "Target met",
  at_risk: "At risk",
  missed: "Target missed",
  no_target: "No target",
  no_data: "No data",
};

export const bandLabels: Record<Band, string> = { elite: "Elite", high: "High", medium: "Medium", low: "Low" };

export const pillarLabels: Record<Pillar, string> = { delivery: "Delivery (DORA)", code: "Code", model: "Model", data: "Data" };

export const directionLabels: Record<Direction, string> = { higher: "higher is better", lower: "lower is better" };

/** Unit names as the target form asks for them: "Target (per day)". */
export const unitLabels: Record<Unit, string> = { per_day: "per day", hours: "hours", percent: "%", count: "count", ratio: "ratio" };
