/**
 * Which version of each model was live in production, from when to when — the question an
 * MLflow alias cannot answer (it only knows where it points now). The history is derived from
 * the pointer events the MLflow source keeps (db/schema/model-registry.ts): a version is live
 * while at least one production pointer (a production alias, or the `Production` stage) points
 * to it, so two aliases on one version make one span, and a version that leaves one alias but
 * stays on another stays live. Each span carries its version's latest production metrics.
 */
import { asc, inArray, sql } from "drizzle-orm";
import type { Store } from "@/db/client";
import { modelMetrics, modelPointerEvents } from "@/db/schema";
import type { ProjectConfig } from "@/lib/config/load";
import { lowerTextArray, textArray } from "@/lib/kpis/sql/fragments";

export interface ProductionSpan {
  model: string;
  version: string;
  /** The pointers that had it, in the order they came (`alias:champion`, `stage:Production`). */
  pointers: string[];
  /** ISO instants; `to` is null while the version is still live. */
  from: string;
  to: string | null;
  /** The version's latest production observation of each metric up to `until`. */
  metrics: { metric: string; value: number; observedAt: string }[];
}

/**
 * Every span of the project's models that began before `until` (a window's end), newest first
 * per model (models in config order), each with its version's latest metrics observed before `until`.
 */
export async function modelProductionHistory(store: Store, project: ProjectConfig, until: Date): Promise<ProductionSpan[]> {
  if (project.models.length === 0) return [];
  const events = await store.db
    .select({ model: modelPointerEvents.model, pointer: modelPointerEvents.pointer, version: modelPointerEvents.version, change: modelPointerEvents.change, at: modelPointerEvents.at })
    .from(modelPointerEvents)
    .where(inArray(modelPointerEvents.model, project.models))
    .orderBy(asc(modelPointerEvents.at), asc(modelPointerEvents.id));
  // A span's end is its real one, also when it came after `until`: a past window shows how long its versions stayed.
  const spans = liveSpans(events).filter((span) => Date.parse(span.from) < until.getTime());
  const metrics = await latestMetrics(store, project, until);
  for (const span of spans) span.metrics = metrics.get(`${span.model}\u0000${span.version}`) ?? [];
  const order = new Map(project.models.map((model, index) => [model, index]));
  return spans.sort((a, b) => order.get(a.model)! - order.get(b.model)! || Date.parse(b.from) - Date.parse(a.from));
}

type PointerEvent = { model: string; pointer: string; version: string; change: string; at: string };

/** Folds events (oldest first) into spans: open when a version's first pointer comes, closed when its last goes. */
export function liveSpans(events: PointerEvent[]): ProductionSpan[] {
  const open = new Map<string, { span: ProductionSpan; pointers: Set<string> }>();
  const spans: ProductionSpan[] = [];
  for (const event of events) {
    const key = `${event.model}\u0000${event.version}`;
    const at = new Date(event.at).toISOString();
    let live = open.get(key);
    if (event.change === "on") {
      if (!live) {
        live = { span: { model: event.model, version: event.version, pointers: [], from: at, to: null, metrics: [] }, pointers: new Set() };
        open.set(key, live);
        spans.push(live.span);
      }
      live.pointers.add(event.pointer);
      if (!live.span.pointers.includes(event.pointer)) live.span.pointers.push(event.pointer);
    } else if (live) {
      live.pointers.delete(event.pointer);
      if (live.pointers.size === 0) {
        live.span.to = at;
        open.delete(key);
      }
    }
  }
  return spans;
}

async function latestMetrics(store: Store, project: ProjectConfig, until: Date) {
  const rows = await store.rows<{ model: string; version: string; metric: string; value: number; observed_at: string }>(sql`
    SELECT DISTINCT ON (m.model, m.version, m.metric) m.model, m.version, m.metric, m.value, to_json(m.observed_at)#>>'{}' AS observed_at
    FROM ${modelMetrics} AS m
    WHERE m.model = ANY(${textArray(project.models)}) AND m.version IS NOT NULL
      AND lower(m.environment) = ANY(${lowerTextArray(project.production_environments)})
      AND m.observed_at < ${until.toISOString()}::timestamptz
    ORDER BY m.model, m.version, m.metric, m.observed_at DESC, m.id DESC`);
  const byVersion = new Map<string, ProductionSpan["metrics"]>();
  for (const row of rows) {
    const key = `${row.model}\u0000${row.version}`;
    const list = byVersion.get(key) ?? [];
    list.push({ metric: row.metric, value: row.value, observedAt: row.observed_at });
    byVersion.set(key, list);
  }
  return byVersion;
}
