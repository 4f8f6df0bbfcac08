/**
 * What every KPI module is: one named definition (kpis.md) with its SQL. A module exports a
 * `Kpi`; `lib/kpis/catalog.ts` lists them in catalog order.
 *
 * The rule that keeps numbers explainable: a KPI's value and its drill-down come from the same
 * rows. Each module writes one `samples` query — the events the value is computed from, one
 * row per event — and the value is an aggregate over exactly those rows, computed in SQL.
 */
import type { Store } from "@/db/client";
import type { Config, ProjectConfig } from "@/lib/config/load";
import type { ReportWindow } from "@/lib/time/window";
import type { DimensionKind, KpiId } from "./ids";

/** The catalog's pillars, in the order pages show them. */
export const pillars = ["delivery", "code", "model", "data"] as const;
export type Pillar = (typeof pillars)[number];
export type Unit = "per_day" | "hours" | "percent" | "count" | "ratio";
export type Direction = "higher" | "lower";
/** A DORA performance band (lib/kpis/dora/bands.ts). */
export type Band = "elite" | "high" | "medium" | "low";

/** Everything a KPI query may read: the project's scope, the source settings, the window. */
export interface KpiContext {
  project: ProjectConfig;
  config: Config;
  window: ReportWindow;
  /** "Now", for KPIs that stop at the present inside a window (data freshness); injectable in tests. */
  now: Date;
}

/** A KPI context without its window, for a series of windows. */
export type SeriesContext = Omit<KpiContext, "window">;

/** One value of a KPI: the project entry (dimension null) or one per model, metric, dataset. */
export interface KpiEntry {
  dimension: string | null;
  value: number | null;
  sampleSize: number;
  /** Only lead_time_for_changes: completed production deployments and those without a commit. */
  coverage?: { deployments: number; without_commit: number } | null;
  /** Counts shown beside the value but not part of it (deployment_frequency: `failed_rollouts`). */
  breakdown?: Record<string, number>;
  /** Only where the direction is per entry (model_quality's metrics). */
  direction?: Direction;
}

/** One event behind a value, as the drill-down and CSV show it. */
export interface KpiEvent {
  /** deployment, incident, change, release, work_item, model_metric, model_sla, data_refresh, data_quality_issue, gap */
  kind: string;
  /** The record's id in its source (e.g. deployment id, "acme/api#12", "FRD-7"). */
  id: string;
  /** The timestamp that placed it in the window, ISO 8601 UTC. */
  at: string;
  dimension: string | null;
  /** The event's contribution (hours for durations, the observed value, …); null for plain counts. */
  value: number | null;
  title: string | null;
  url: string | null;
  source: string;
}

export interface Kpi {
  id: KpiId;
  pillar: Pillar;
  unit: Unit;
  direction: Direction;
  /** What its per-dimension entries are keyed by; null when it has only the project entry. */
  dimension: DimensionKind | null;
  /** Short name for tables and cards. */
  title: string;
  /** One paragraph in plain words, the same as docs/metrics.md. */
  description: string;
  /** The value(s) over the window: project entry first, then per-dimension entries sorted by dimension. */
  compute(store: Store, context: KpiContext): Promise<KpiEntry[]>;
  /**
   * Only KPIs whose events are placed in a window by their `at` alone: `compute` of each of
   * `weeks` (consecutive, oldest first), from one query over their whole range (per query
   * `compute` runs: lead time's coverage is a second one).
   */
  series?(store: Store, context: SeriesContext, weeks: readonly ReportWindow[]): Promise<KpiEntry[][]>;
  /** Exactly the events the value for `dimension` (null: the project entry) was computed from. */
  events(store: Store, context: KpiContext, dimension: string | null): Promise<KpiEvent[]>;
}
