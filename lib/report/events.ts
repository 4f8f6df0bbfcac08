/**
 * The drill-down (interfaces.md, GET …/kpis/ID/events): the events one KPI value — the project
 * entry or one dimension — was computed from, the same rows as the value (lib/kpis/kpi.ts).
 */
import type { Store } from "@/db/client";
import type { Config } from "@/lib/config/load";
import { UserError } from "@/lib/errors/user-error";
import { catalog, findKpi } from "@/lib/kpis/catalog";
import type { KpiContext, KpiEvent } from "@/lib/kpis/kpi";
import { resolveRequest, type ReportParameters } from "./build";

export interface KpiEventsParameters extends ReportParameters {
  kpi: string;
  /** The entry's dimension; absent or null for the project entry. */
  dimension?: string | null;
}

export interface KpiEvents {
  project: string;
  kpi: string;
  dimension: string | null;
  from: string;
  to: string;
  timezone: string;
  days: number;
  value: number | null;
  sample_size: number;
  /** Counts beside the value (deployment_frequency: failed_rollouts), else null. */
  breakdown: Record<string, number> | null;
  events: KpiEvent[];
}

/** The drill-down: the events one KPI value (project entry or one dimension) was computed from. */
export async function kpiEvents(store: Store, config: Config, request: KpiEventsParameters): Promise<KpiEvents> {
  const { project, window, now } = resolveRequest(config, request);
  const kpi = findKpi(request.kpi);
  if (!kpi) throw new UserError(`unknown KPI "${request.kpi}" (one of ${catalog.map((k) => k.id).join(", ")})`, "not_found");
  const dimension = request.dimension || null;
  const context: KpiContext = { project, config, window, now };
  const [entries, events] = await Promise.all([kpi.compute(store, context), kpi.events(store, context, dimension)]);
  const entry = entries.find((e) => e.dimension === dimension);
  if (!entry) throw new UserError(`${kpi.id} has no entry for dimension "${dimension}" in project ${project.slug}`, "not_found");
  return {
    project: project.slug,
    kpi: kpi.id,
    dimension,
    from: window.from,
    to: window.to,
    timezone: window.timezone,
    days: window.days,
    value: entry.value,
    sample_size: entry.sampleSize,
    breakdown: entry.breakdown ?? null,
    events,
  };
}
