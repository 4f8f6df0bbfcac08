/**
 * The shape every KPI module's `samples` query returns — one row per event, the columns of
 * `KpiEvent` (at as timestamptz) plus whatever the aggregate needs — and the two ways the
 * modules read it: the drill-down, and counts.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Store } from "@/db/client";
import { kpiIdentity, type KpiId } from "@/lib/kpis/ids";
import type { Kpi, KpiContext, KpiEvent } from "@/lib/kpis/kpi";
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

/**
 * A KPI that counts its events, with only the project entry: the value is the number of sample
 * rows (0 when there are none — counts are never null) and the drill-down lists those rows.
 */
export function countKpi(definition: { id: KpiId; title: string; description: string; samples: Samples }): Kpi {
  const { samples } = definition;
  return {
    ...kpiIdentity(definition.id),
    title: definition.title,
    description: definition.description,
    async compute(store, context) {
      const [row] = await store.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM (${samples(context)}) AS samples`);
      return [{ dimension: null, value: row!.count, sampleSize: row!.count }];
    },
    async events(store, context, dimension) {
      return dimension === null ? selectEvents(store, samples(context)) : [];
    },
  };
}

/** Columns of the window, for `at >= start AND at < end`. */
export function inWindow(column: SQL, context: KpiContext): SQL {
  return sql`(${column} >= ${context.window.start}::timestamptz AND ${column} < ${context.window.end}::timestamptz)`;
}
