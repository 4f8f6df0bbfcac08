/**
 * Weekly trends: each KPI's project-level value per calendar week (Monday to Sunday in the
 * project's zone), computed by the same KPI modules as the report, with the target that was in
 * force at each week's end. The project page, the KPI page and the weekly email draw these.
 *
 * Only complete weeks are shown: a week in progress would read as a drop in every count.
 */
import { z } from "zod";
import type { Store } from "@/db/client";
import type { Config, ProjectConfig } from "@/lib/config/load";
import { projectOf } from "@/lib/config/projects";
import { catalog } from "@/lib/kpis/catalog";
import type { KpiId } from "@/lib/kpis/ids";
import type { Kpi, KpiEntry, Unit } from "@/lib/kpis/kpi";
import { completeWeeks } from "@/lib/time/weeks";
import { localDate, type ReportWindow } from "@/lib/time/window";
import { targetsAtWindowEnd } from "@/lib/targets/store";

export interface TrendParameters {
  project: string;
  /** How many complete weeks, ending with the last complete one before `now` (or `until`). */
  weeks?: number;
  /** A date inside the week after the last one shown, YYYY-MM-DD; default: today in the project's zone. */
  until?: string;
  /** Only these KPIs (default: all, in catalog order). */
  kpis?: readonly string[];
  now?: Date;
}

export interface TrendSeries {
  id: KpiId;
  unit: Unit;
  /** The project-level value of each week; null where the week had no data. */
  values: (number | null)[];
  /** The project-level target in force at the end of each week; null where there was none. */
  targets: (number | null)[];
  /** How many events each week's value was computed from (deployment_frequency: the week's deployments). */
  samples: number[];
}

export interface Trend {
  project: string;
  timezone: string;
  /** The weeks, oldest first; `from` is the Monday. */
  weeks: ReportWindow[];
  series: TrendSeries[];
}

/** At most two years of weeks: each week is one computation per KPI. */
const MAX_WEEKS = 104;

/** GET /api/projects/SLUG/trends?weeks=&until=&kpis=a,b (the route validates with it; the OpenAPI document reads it). */
export const trendsQuery = z.object({
  weeks: z.coerce.number().int().min(1).max(MAX_WEEKS).optional(),
  until: z.iso.date({ message: "must be a date YYYY-MM-DD" }).optional(),
  kpis: z.string().optional(),
});

/** Six months of weeks. */
export const DEFAULT_TREND_WEEKS = 26;

export async function weeklyTrends(store: Store, config: Config, request: TrendParameters): Promise<Trend> {
  const project = projectOf(config, request.project);
  const now = request.now ?? new Date();
  const weeks = completeWeeks(project.timezone, request.weeks ?? DEFAULT_TREND_WEEKS, request.until ?? localDate(now, project.timezone));
  const kpis = request.kpis ? catalog.filter((kpi) => request.kpis!.includes(kpi.id)) : catalog;
  const [values, targets] = await Promise.all([
    weeklyEntries(store, config, project, weeks, kpis, now),
    Promise.all(weeks.map((window) => targetsAtWindowEnd(store, project.slug, window))),
  ]);
  return {
    project: project.slug,
    timezone: project.timezone,
    weeks,
    series: kpis.map((kpi, index) => ({
      id: kpi.id,
      unit: kpi.unit,
      values: values[index]!.map((entries) => projectEntry(entries)?.value ?? null),
      samples: values[index]!.map((entries) => projectEntry(entries)?.sampleSize ?? 0),
      targets: targets.map((inForce) => inForce.get(kpi.id, null)?.value ?? null),
    })),
  };
}

/**
 * Each KPI's entries (the project entry and its dimensions) for each week: `[kpi][week]`. The
 * trends read the project entries; a report's forecasts read the entry of a target's dimension.
 */
export async function weeklyEntries(
  store: Store,
  config: Config,
  project: ProjectConfig,
  weeks: readonly ReportWindow[],
  kpis: readonly Kpi[],
  now: Date,
): Promise<KpiEntry[][][]> {
  if (weeks.length === 0) return kpis.map(() => []);
  return Promise.all(
    kpis.map((kpi) =>
      // With `series` (releases, bug fixes, features shipped, time to restore, MTTR, data access
      // time, deployment frequency, lead time, rework rate), one query for every week. Without, per
      // week: the value depends on more of the window than where its events' `at` falls (gaps and
      // freshness at the window's end; change failure rate's incident attribution, which reads the
      // window's start and its shipped commits), or the KPI is not yet checked for one (the model
      // KPIs with their per-dimension entries).
      kpi.series ? kpi.series(store, { project, config, now }, weeks) : Promise.all(weeks.map((window) => kpi.compute(store, { project, config, window, now }))),
    ),
  );
}

function projectEntry(entries: KpiEntry[]): KpiEntry | undefined {
  return entries.find((entry) => entry.dimension === null);
}
