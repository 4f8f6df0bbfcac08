import { sql } from "drizzle-orm";
import { dataRefreshes } from "@/db/schema";
import { configuredDatasets, perDatasetKpi } from "@/lib/kpis/entities/datasets";
import { hoursBetween, isoInstant, textArray } from "@/lib/kpis/sql/fragments";

/**
 * Per dataset: the longest stretch without a successful refresh. The stretches run from the
 * last success before the window (or the window start if there is none) through each success
 * inside the window to the window end — or now, when the window has not ended yet. Each
 * stretch is a `gap` event with its hours; a window that has not started yet has none.
 */
export const dataFreshnessLag = perDatasetKpi({
  id: "data_freshness_lag",
  title: "Data freshness lag",
  description:
    "How stale each dataset got: the longest time, in hours, without a successful refresh, counted from the last success before the window (or the window start) up to the window end, or now if the window is still running. The project's value is the stalest dataset's.",
  samples: (context) => {
    const datasets = textArray(context.project.datasets);
    return sql`
      WITH bounds AS (
        SELECT ${context.window.start}::timestamptz AS s,
               least(${context.window.end}::timestamptz, ${context.now.toISOString()}::timestamptz) AS e),
      marks AS (
        SELECT d.dataset, coalesce(before.finished_at, b.s) AS at, 'start' AS mark
        FROM ${configuredDatasets(context)} AS d CROSS JOIN bounds AS b
        LEFT JOIN LATERAL (
          SELECT r.finished_at FROM ${dataRefreshes} AS r
          WHERE r.dataset = d.dataset AND r.status = 'success' AND r.finished_at < b.s
          ORDER BY r.finished_at DESC LIMIT 1) AS before ON true
        UNION ALL
        SELECT r.dataset, r.finished_at, 'refresh' FROM ${dataRefreshes} AS r CROSS JOIN bounds AS b
        WHERE r.dataset = ANY(${datasets}) AND r.status = 'success' AND r.finished_at >= b.s AND r.finished_at < b.e
        UNION ALL
        SELECT d.dataset, b.e, CASE WHEN b.e < ${context.window.end}::timestamptz THEN 'now' ELSE 'end' END
        FROM ${configuredDatasets(context)} AS d CROSS JOIN bounds AS b),
      -- Two successes at one instant (or one at the window start) make no gap of their own.
      instants AS (SELECT DISTINCT ON (dataset, at) dataset, at, mark FROM marks ORDER BY dataset, at, mark),
      gaps AS (
        SELECT dataset, lag(at) OVER (PARTITION BY dataset ORDER BY at) AS gap_start, at AS gap_end, mark
        FROM instants)
      SELECT 'gap' AS kind, dataset || ' ' || ${isoInstant(sql`gap_start`)} AS id, gap_start AS at, dataset AS dimension,
        ${hoursBetween(sql`gap_start`, sql`gap_end`)} AS value,
        'no successful refresh until ' || CASE mark WHEN 'refresh' THEN 'the refresh at ' WHEN 'now' THEN 'now, ' ELSE 'the window end, ' END
          || ${isoInstant(sql`gap_end`)} AS title,
        NULL::text AS url, 'data_refresh' AS source
      FROM gaps CROSS JOIN bounds AS b
      WHERE gap_start IS NOT NULL AND b.e > b.s`;
  },
  value: () => sql`max(s.value)`,
  worst: "highest",
});
