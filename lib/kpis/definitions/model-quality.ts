import { sql } from "drizzle-orm";
import { modelMetrics } from "@/db/schema";
import { kpiIdentity } from "@/lib/kpis/ids";
import type { Direction, Kpi, KpiContext } from "@/lib/kpis/kpi";
import { selectEvents } from "@/lib/kpis/sql/samples";
import { lowerTextArray, textArray } from "@/lib/kpis/sql/fragments";

/**
 * Per (model, metric): the last production observation in the window (ties: the one stored
 * last), with the metric's direction — the latest direction an observation of the pair stated
 * up to the window end, else higher.
 */
function samples(context: KpiContext) {
  const production = lowerTextArray(context.project.production_environments);
  return sql`
    SELECT DISTINCT ON (m.model, m.metric) 'model_metric' AS kind, m.external_id AS id, m.observed_at AS at,
      m.model || '/' || m.metric AS dimension, m.value AS value,
      m.metric || ' of ' || m.model || coalesce(' ' || m.version, '') AS title, NULL::text AS url, m.source AS source,
      coalesce((
        SELECT stated.direction FROM ${modelMetrics} AS stated
        WHERE stated.model = m.model AND stated.metric = m.metric AND stated.direction IS NOT NULL
          AND lower(stated.environment) = ANY(${production}) AND stated.observed_at < ${context.window.end}::timestamptz
        ORDER BY stated.observed_at DESC, stated.id DESC LIMIT 1), 'higher') AS direction
    FROM ${modelMetrics} AS m
    WHERE m.model = ANY(${textArray(context.project.models)}) AND lower(m.environment) = ANY(${production})
      AND m.observed_at >= ${context.window.start}::timestamptz AND m.observed_at < ${context.window.end}::timestamptz
    ORDER BY m.model, m.metric, m.observed_at DESC, m.id DESC`;
}

/**
 * Metrics of different models and kinds (AUC, latency) have no meaningful common value, so the
 * project entry has value null (status no_data) and, as sample size, the number of
 * (model, metric) pairs observed; its drill-down lists every pair's last observation.
 */
export const modelQuality: Kpi = {
  ...kpiIdentity("model_quality"),
  title: "Model quality",
  description:
    "Each production model metric as last observed in the window (one entry per model and metric, e.g. fraud-xgb/auc), judged in the metric's own direction (higher is better unless the observations say lower). The project line has no value of its own: targets are set per model and metric.",
  async compute(store, context) {
    const rows = await store.rows<{ dimension: string; value: number; direction: Direction }>(sql`
      SELECT dimension, value, direction FROM (${samples(context)}) AS samples ORDER BY dimension`);
    return [
      { dimension: null, value: null, sampleSize: rows.length },
      ...rows.map((row) => ({ dimension: row.dimension, value: row.value, sampleSize: 1, direction: row.direction })),
    ];
  },
  async events(store, context, dimension) {
    return selectEvents(store, samples(context), dimension === null ? undefined : sql`dimension = ${dimension}`);
  },
};
