/**
 * KPIs measured per dataset (kpis.md, Data): every configured dataset is an entry, even one
 * without a single record, and the project entry is the worst dataset — the weakest link — with
 * that dataset's sample size and events.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Store } from "@/db/client";
import { kpiIdentity, type KpiId } from "@/lib/kpis/ids";
import type { Kpi, KpiContext, KpiEntry } from "@/lib/kpis/kpi";
import { selectEvents, type Samples } from "@/lib/kpis/sql/samples";
import { textArray } from "@/lib/kpis/sql/fragments";

interface PerDatasetDefinition {
  id: KpiId;
  title: string;
  description: string;
  /** Rows whose `dimension` is the dataset. */
  samples: Samples;
  /** The dataset's value: an aggregate over its sample rows `s` (no rows: a LEFT JOIN's nulls). */
  value: (context: KpiContext) => SQL;
  /** Which end is worst: the lowest value (refresh frequency) or the highest (freshness lag). */
  worst: "lowest" | "highest";
}

export function configuredDatasets(context: KpiContext): SQL {
  return sql`(SELECT DISTINCT unnest(${textArray(context.project.datasets)}) AS dataset)`;
}

export function perDatasetKpi(definition: PerDatasetDefinition): Kpi {
  const { samples, value, worst } = definition;

  async function datasetEntries(store: Store, context: KpiContext) {
    return store.rows<{ dataset: string; value: number | null; samples: number; worst: boolean }>(sql`
      WITH samples AS (${samples(context)}),
      entries AS (
        SELECT d.dataset, ${value(context)} AS value, count(s.id)::int AS samples
        FROM ${configuredDatasets(context)} AS d LEFT JOIN samples AS s ON s.dimension = d.dataset
        GROUP BY d.dataset)
      SELECT dataset, value, samples,
        row_number() OVER (ORDER BY value ${worst === "lowest" ? sql`ASC` : sql`DESC`} NULLS LAST, dataset) = 1 AS worst
      FROM entries ORDER BY dataset`);
  }

  return {
    ...kpiIdentity(definition.id),
    title: definition.title,
    description: definition.description,
    async compute(store, context) {
      const rows = await datasetEntries(store, context);
      const weakest = rows.find((row) => row.worst);
      const project: KpiEntry = { dimension: null, value: weakest?.value ?? null, sampleSize: weakest?.samples ?? 0 };
      return [project, ...rows.map((row) => ({ dimension: row.dataset, value: row.value, sampleSize: row.samples }))];
    },
    async events(store, context, dimension) {
      const dataset = dimension ?? (await datasetEntries(store, context)).find((row) => row.worst)?.dataset;
      if (dataset === undefined || !context.project.datasets.includes(dataset)) return [];
      return selectEvents(store, samples(context), sql`dimension = ${dataset}`);
    },
  };
}
