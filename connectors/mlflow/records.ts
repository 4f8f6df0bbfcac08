/**
 * MLflow Model Registry payloads as Shipshape records (kpis.md, "Reading the sources",
 * MLflow): each change of a production pointer is an event; each version that came on a
 * pointer is a completed production deployment of kind `model`; the configured metrics of a
 * production version's run are `model_metric` observations. No KPI logic.
 */
import type { InferInsertModel } from "drizzle-orm";
import type { deployments, modelMetrics, modelPointerEvents, PointerChange } from "@/db/schema";
import { instantOfMillis, type MetricPayload, type ModelVersionPayload } from "./payloads";

export const SOURCE = "mlflow";
/** Model deployments are production deployments (kpis.md): the environment they are recorded in. */
export const PRODUCTION = "production";
/** The stage that meant "serving" before aliases (MLflow < 2.3, and teams that still use stages). */
export const PRODUCTION_STAGE = "Production";

export type PointerEventRecord = InferInsertModel<typeof modelPointerEvents>;
export type DeploymentRecord = InferInsertModel<typeof deployments>;
export type ModelMetricRecord = InferInsertModel<typeof modelMetrics>;

/** A production pointer's name: `alias:champion`, or `stage:Production`. */
export const aliasPointer = (alias: string) => `alias:${alias}`;
export const STAGE_POINTER = `stage:${PRODUCTION_STAGE}`;

export interface PointerChangeSeen {
  model: string;
  pointer: string;
  version: string;
  change: PointerChange;
  /** ISO instant. */
  at: string;
  raw: unknown;
}

export function pointerEventRecord(event: PointerChangeSeen): PointerEventRecord {
  return {
    source: SOURCE,
    externalId: JSON.stringify([event.model, event.pointer, event.version, event.change, event.at]),
    raw: event.raw,
    model: event.model,
    pointer: event.pointer,
    version: event.version,
    change: event.change,
    at: event.at,
  };
}

/**
 * The deployment a version coming on a pointer is: keyed by model, version and time, so two
 * aliases moved to one version in one sync (or found on it by a first sync) are one deployment.
 */
export function deploymentRecord(event: Pick<PointerEventRecord, "model" | "version" | "at" | "raw">): DeploymentRecord {
  return {
    source: SOURCE,
    externalId: `${event.model}/${event.version}@${new Date(event.at).toISOString()}`,
    raw: event.raw,
    service: null,
    environment: PRODUCTION,
    status: "success",
    kind: "model",
    finishedAt: new Date(event.at).toISOString(),
    version: event.version,
    model: event.model,
  };
}

/** A first sync places a pointer it finds at its version's last update (kpis.md); else at the sync. */
export function versionUpdatedAt(version: ModelVersionPayload, fallback: string): string {
  const millis = version.last_updated_timestamp ?? version.creation_timestamp;
  return millis === undefined ? fallback : instantOfMillis(millis);
}

export type MetricDirection = "higher" | "lower";

/**
 * A run metric of a production version as an observation, stating the configured direction
 * (model_quality judges it so); null for a value that is not a number (NaN, ±Infinity).
 */
export function metricRecord(model: string, version: string, runId: string, metric: MetricPayload, direction?: MetricDirection): ModelMetricRecord | null {
  if (typeof metric.value !== "number") return null;
  const observedAt = instantOfMillis(metric.timestamp);
  return {
    source: SOURCE,
    externalId: JSON.stringify([model, version, metric.key, observedAt]),
    raw: { run_id: runId, metric },
    model,
    metric: metric.key,
    value: metric.value,
    observedAt,
    version,
    environment: PRODUCTION,
    direction: direction ?? null,
  };
}
