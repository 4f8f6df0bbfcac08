import { sql } from "drizzle-orm";
import { modelSlaObservations } from "@/db/schema";
import { kpiIdentity } from "@/lib/kpis/ids";
import type { Kpi, KpiContext } from "@/lib/kpis/kpi";
import { selectEvents } from "@/lib/kpis/sql/samples";
import { textArray } from "@/lib/kpis/sql/fragments";

/** The project's model_sla observations in the window, each with whether it met its limit. */
function samples(context: KpiContext) {
  return sql`
    SELECT 'model_sla' AS kind, o.external_id AS id, o.observed_at AS at, o.model AS dimension, o.value AS value,
      o.objective || ' ' || o.value || CASE WHEN o.direction = 'min' THEN ' ≥ ' ELSE ' ≤ ' END || o."limit"
        || CASE WHEN met THEN ' met' ELSE ' missed' END AS title,
      NULL::text AS url, o.source AS source, met
    FROM ${modelSlaObservations} AS o
    CROSS JOIN LATERAL (SELECT CASE WHEN o.direction = 'min' THEN o.value >= o."limit" ELSE o.value <= o."limit" END AS met) AS judged
    WHERE o.model = ANY(${textArray(context.project.models)})
      AND o.observed_at >= ${context.window.start}::timestamptz AND o.observed_at < ${context.window.end}::timestamptz`;
}

/** Share of SLA observations that met their limit: per configured model, and over all of them. */
export const modelSlaCompliance: Kpi = {
  ...kpiIdentity("model_sla_compliance"),
  title: "Model SLA compliance",
  description:
    "The share of model SLA observations in the window (latency, availability, … as reported in the deployment log) that met their limit, in percent: one line per model and one over all of the project's models. A model without observations has no value.",
  async compute(store, context) {
    const rows = await store.rows<{ dimension: string | null; value: number | null; samples: number }>(sql`
      WITH samples AS (${samples(context)})
      SELECT NULL::text AS dimension, (100.0 * count(*) FILTER (WHERE met) / nullif(count(*), 0))::float8 AS value,
        count(*)::int AS samples
      FROM samples
      UNION ALL
      SELECT m.model, (100.0 * count(s.id) FILTER (WHERE s.met) / nullif(count(s.id), 0))::float8, count(s.id)::int
      FROM (SELECT DISTINCT unnest(${textArray(context.project.models)}) AS model) AS m
      LEFT JOIN samples AS s ON s.dimension = m.model
      GROUP BY m.model
      ORDER BY dimension NULLS FIRST`);
    return rows.map((row) => ({ dimension: row.dimension, value: row.value, sampleSize: row.samples }));
  },
  async events(store, context, dimension) {
    return selectEvents(store, samples(context), dimension === null ? undefined : sql`dimension = ${dimension}`);
  },
};
