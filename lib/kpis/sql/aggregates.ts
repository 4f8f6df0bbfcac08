/**
 * KPIs whose value is one aggregate over their samples (a median, a mean, a share), with only
 * the project entry. The value and the drill-down read the same `samples` query, so the events
 * listed are exactly those the value was computed from.
 */
import { sql, type SQL } from "drizzle-orm";
import { kpiIdentity, type KpiId } from "@/lib/kpis/ids";
import type { Kpi, KpiContext } from "@/lib/kpis/kpi";
import { bucketedByWeek, sampleCount, selectEvents, type Samples } from "./samples";

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
  /** As for `countKpi`: the events are placed in a window by their `at` alone, so the KPI has a `series`. */
  placedByAt?: boolean;
}): Kpi {
  const { samples } = definition;
  const columns = sql`${definition.aggregate} AS value, ${sampleCount} AS samples`;
  const kpi: Kpi = {
    ...kpiIdentity(definition.id),
    title: definition.title,
    description: definition.description,
    async compute(store, context: KpiContext) {
      const [row] = await store.rows<AggregateRow>(sql`SELECT ${columns} FROM (${samples(context)}) AS samples`);
      return [projectEntry(row!)];
    },
    async events(store, context, dimension) {
      return dimension === null ? selectEvents(store, samples(context)) : [];
    },
  };
  if (!definition.placedByAt) return kpi;
  return {
    ...kpi,
    async series(store, context, weeks) {
      const rows = await store.rows<AggregateRow>(bucketedByWeek(samples, context, weeks, columns));
      return rows.map((row) => [projectEntry(row)]);
    },
  };
}

type AggregateRow = { value: number | null; samples: number };

function projectEntry(row: AggregateRow) {
  return { dimension: null, value: row.value, sampleSize: row.samples };
}
