/**
 * The shape every KPI module's `samples` query returns — one row per event, the columns of
 * `KpiEvent` (at as timestamptz) plus whatever the aggregate needs — and the two ways the
 * modules read it: the drill-down, and counts.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Store } from "@/db/client";
import { kpiIdentity, type KpiId } from "@/lib/kpis/ids";
import type { Kpi, KpiContext, KpiEntry, KpiEvent, SeriesContext } from "@/lib/kpis/kpi";
import { reportWindow, type ReportWindow } from "@/lib/time/window";
import { isoInstant } from "./fragments";

export type Samples = (context: KpiContext) => SQL;

/** The events of a samples query, optionally only those matching `where`, in time order. */
export async function selectEvents(store: Store, samples: SQL, where: SQL = sql`true`): Promise<KpiEvent[]> {
  return store.rows<KpiEvent & Record<string, unknown>>(sql`
    SELECT kind, id, ${isoInstant(sql`at`)} AS at, dimension, value, title, url, source
    FROM (${samples}) AS samples
    WHERE ${where}
    ORDER BY samples.at, samples.id`);
}

/** The number of sample rows; counts `at` so that the empty weeks of `bucketedByWeek` count 0 (every sample has an `at`). */
export const sampleCount = sql`count(samples.at)::int`;

/**
 * A KPI that counts its events, with only the project entry: the value is the number of sample
 * rows (0 when there are none — counts are never null) and the drill-down lists those rows.
 *
 * `placedByAt`: an event is in a window exactly when its `at` is (kpis.md places it by one
 * timestamp and nothing else of the window matters), so a series of weeks is one samples query
 * over the weeks' whole range, counted per week.
 */
export function countKpi(definition: { id: KpiId; title: string; description: string; samples: Samples; placedByAt?: boolean }): Kpi {
  const { samples } = definition;
  const kpi: Kpi = {
    ...kpiIdentity(definition.id),
    title: definition.title,
    description: definition.description,
    async compute(store, context) {
      const [row] = await store.rows<{ count: number }>(sql`SELECT ${sampleCount} AS count FROM (${samples(context)}) AS samples`);
      return [countEntry(row!.count)];
    },
    async events(store, context, dimension) {
      return dimension === null ? selectEvents(store, samples(context)) : [];
    },
  };
  if (!definition.placedByAt) return kpi;
  return {
    ...kpi,
    async series(store, context, weeks) {
      const rows = await store.rows<{ count: number }>(bucketedByWeek(samples, context, weeks, sql`${sampleCount} AS count`));
      return rows.map((row) => [countEntry(row.count)]);
    },
  };
}

/** A count's project entry: the count is both its value and its sample size. */
function countEntry(count: number): KpiEntry {
  return { dimension: null, value: count, sampleSize: count };
}

/**
 * One row per week, in the weeks' order, with the `columns` (aggregates) over the samples whose `at` is in that
 * week: the samples query runs once over the weeks' whole range. The weeks' instants come from
 * `completeWeeks`, so a week across a DST change is exactly as long as `compute`'s window.
 */
export function bucketedByWeek(samples: Samples, context: SeriesContext, weeks: readonly ReportWindow[], columns: SQL): SQL {
  const range = reportWindow(weeks[0]!.from, weeks.at(-1)!.to, weeks[0]!.timezone);
  const instants = (pick: (week: ReportWindow) => string) => `{${weeks.map(pick).join(",")}}`;
  return sql`
    SELECT ${columns}
    FROM unnest(${instants((week) => week.start)}::timestamptz[], ${instants((week) => week.end)}::timestamptz[]) WITH ORDINALITY AS week(start, "end", index)
    LEFT JOIN (${samples({ ...context, window: range })}) AS samples ON samples.at >= week.start AND samples.at < week."end"
    GROUP BY week.index
    ORDER BY week.index`;
}

/** Columns of the window, for `at >= start AND at < end`. */
export function inWindow(column: SQL, context: KpiContext): SQL {
  return sql`(${column} >= ${context.window.start}::timestamptz AND ${column} < ${context.window.end}::timestamptz)`;
}
