import { sql } from "drizzle-orm";
import { dataRefreshes } from "@/db/schema";
import { perDatasetKpi } from "@/lib/kpis/entities/datasets";
import { inWindow } from "@/lib/kpis/sql/samples";
import { textArray } from "@/lib/kpis/sql/fragments";

/** Per dataset: successful refreshes finishing in the window per day; the project entry is the lowest dataset. */
export const dataRefreshFrequency = perDatasetKpi({
  id: "data_refresh_frequency",
  title: "Data refresh frequency",
  description:
    "How often each dataset is refreshed: successful data_refresh records finishing in the window, divided by the window's days. Every configured dataset is listed (0 when it was not refreshed); the project's value is the least-refreshed dataset's.",
  samples: (context) => sql`
    SELECT 'data_refresh' AS kind, ${dataRefreshes.externalId} AS id, ${dataRefreshes.finishedAt} AS at,
      ${dataRefreshes.dataset} AS dimension, NULL::float8 AS value,
      ${dataRefreshes.dataset} || coalesce(' (' || ${dataRefreshes.rows} || ' rows)', '') AS title,
      NULL::text AS url, ${dataRefreshes.source} AS source
    FROM ${dataRefreshes}
    WHERE ${dataRefreshes.dataset} = ANY(${textArray(context.project.datasets)}) AND ${dataRefreshes.status} = 'success'
      AND ${inWindow(sql`${dataRefreshes.finishedAt}`, context)}`,
  value: (context) => sql`count(s.id)::float8 / ${context.window.days}`,
  worst: "lowest",
});
