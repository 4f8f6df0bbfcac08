/**
 * KPIs whose value is one aggregate over their samples (a median, a mean, a share), with only
 * the project entry. The value and the drill-down read the same `samples` query, so the events
 * listed are exactly those the value was computed from.
 */
import { sql, type SQL } from "drizzle-orm";
import { kpiIdentity, type KpiId } from "@/lib/kpis/ids";
import type { Kpi, KpiContext } from "@/lib/kpis/kpi";
import { selectEvents, type Samples } from "./samples";

/** Aggregates over the samples' `value` column; each is null over no samples (null, not zero). */
export const aggregates = {
  /** The interpolated median (mean of the two middle values of an even-sized sample). */
  median: sql`percentile_cont(0.5) WITHIN GROUP (ORDER BY samples.value)`,
  mean: sql`avg(samples.value)::float8`,
  /** For samples valued 1 (counted) or 0: the share of 1s as a percentage. */
  percentOfOnes: sql`(100.0 * avg(samples.value))::float8`,
} as const;

export function aggregateKpi(definition: {
  id: KpiId;
  title: string;
  description: string;
  samples: Samples;
  aggregate: SQL;
}): Kpi {
  const { samples, aggregate } = definition;
  return {
    ...kpiIdentity(definition.id),
    title: definition.title,
    description: definition.description,
    async compute(store, context: KpiContext) {
      const [row] = await store.rows<{ value: number | null; samples: number }>(sql`
        SELECT ${aggregate} AS value, count(*)::int AS samples FROM (${samples(context)}) AS samples`);
      return [{ dimension: null, value: row!.value, sampleSize: row!.samples }];
    },
    async events(store, context, dimension) {
      return dimension === null ? selectEvents(store, samples(context)) : [];
    },
  };
}
