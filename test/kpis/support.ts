/** Shared by the KPI tests: report contexts over a window and a KPI's drill-down ids (records: test/support/records.ts). */
import type { Store } from "@/db/client";
import { projectOf } from "@/lib/config/projects";
import type { Config } from "@/lib/config/load";
import type { Kpi, KpiContext } from "@/lib/kpis/kpi";
import { reportWindow } from "@/lib/time/window";

/** A report context over [from, to] in `timezone`; `now` defaults to long after the window. */
export function contextFor(
  config: Config,
  slug: string,
  window: { from: string; to: string; timezone?: string; now?: string },
): KpiContext {
  const project = projectOf(config, slug);
  return {
    project,
    config,
    window: reportWindow(window.from, window.to, window.timezone ?? project.timezone),
    now: new Date(window.now ?? "2100-01-01T00:00:00Z"),
  };
}

/** The ids of the events behind a KPI's value (its drill-down), in the order the KPI lists them. */
export async function eventIds(store: Store, kpi: Kpi, context: KpiContext, dimension: string | null = null) {
  return (await kpi.events(store, context, dimension)).map((event) => event.id);
}
