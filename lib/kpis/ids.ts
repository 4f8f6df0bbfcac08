/**
 * The KPI catalog's identities (kpis.md): id, pillar, unit, direction and what its
 * per-dimension entries are, in catalog order. The one list of KPI ids: each KPI module takes
 * its identity from here (`kpiIdentity`), and targets validate against it without loading the
 * queries.
 */
import type { Direction, Pillar, Unit } from "./kpi";

/** What a KPI's per-dimension entries are keyed by: a configured model or dataset, or "<model>/<metric>". */
export type DimensionKind = "model" | "model_metric" | "dataset";

export interface KpiIdentity {
  /** Typed as a string only for the list below, from which `KpiId` (the ids' union) is derived. */
  id: string;
  pillar: Pillar;
  unit: Unit;
  /** For model_quality each metric has its own direction; this is the default (higher). */
  direction: Direction;
  /** Null when the KPI has only the project entry. */
  dimension: DimensionKind | null;
}

export const kpiIdentities = [
  { id: "deployment_frequency", pillar: "delivery", unit: "per_day", direction: "higher", dimension: null },
  { id: "lead_time_for_changes", pillar: "delivery", unit: "hours", direction: "lower", dimension: null },
  { id: "change_failure_rate", pillar: "delivery", unit: "percent", direction: "lower", dimension: null },
  { id: "time_to_restore", pillar: "delivery", unit: "hours", direction: "lower", dimension: null },
  { id: "rework_rate", pillar: "delivery", unit: "percent", direction: "lower", dimension: null },
  { id: "releases", pillar: "code", unit: "count", direction: "higher", dimension: null },
  { id: "bug_fixes", pillar: "code", unit: "count", direction: "higher", dimension: null },
  { id: "features_shipped", pillar: "code", unit: "count", direction: "higher", dimension: null },
  { id: "mttr", pillar: "code", unit: "hours", direction: "lower", dimension: null },
  { id: "model_iterations_shipped", pillar: "model", unit: "count", direction: "higher", dimension: null },
  { id: "model_quality", pillar: "model", unit: "ratio", direction: "higher", dimension: "model_metric" },
  { id: "model_sla_compliance", pillar: "model", unit: "percent", direction: "higher", dimension: "model" },
  { id: "data_refresh_frequency", pillar: "data", unit: "per_day", direction: "higher", dimension: "dataset" },
  { id: "data_freshness_lag", pillar: "data", unit: "hours", direction: "lower", dimension: "dataset" },
  { id: "data_quality_issues", pillar: "data", unit: "count", direction: "lower", dimension: null },
  { id: "data_access_time", pillar: "data", unit: "hours", direction: "lower", dimension: null },
] as const satisfies readonly KpiIdentity[];

export type KpiId = (typeof kpiIdentities)[number]["id"];

export const kpiIds = kpiIdentities.map((kpi) => kpi.id) as KpiId[];

/** A catalog KPI's identity, its id typed as the union. */
export type CatalogIdentity = KpiIdentity & { id: KpiId };

/** The identity of an id given by a user (a target's `--kpi`), or undefined for an unknown one. */
export function findKpiIdentity(id: string): CatalogIdentity | undefined {
  return kpiIdentities.find((kpi) => kpi.id === id);
}

/** The identity fields of a KPI module, taken from the catalog list so they are written once. */
export function kpiIdentity(id: KpiId): CatalogIdentity {
  const { pillar, unit, direction, dimension } = kpiIdentities.find((kpi) => kpi.id === id)!;
  return { id, pillar, unit, direction, dimension };
}
