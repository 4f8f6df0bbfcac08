/**
 * The parts of MLflow's REST API 2.0 answers the connector reads, as zod schemas, after the
 * protobuf messages they are the JSON form of (mlflow/protos/model_registry.proto and
 * service.proto). Protobuf's JSON leaves out empty and unset fields — a model without aliases
 * has no `aliases` key, a search with no match is `{}` — so every field is optional unless the
 * connector cannot work without it. Anything else passes through untouched (and is kept in
 * `raw`); nothing is transformed, so a parsed payload is the payload as received.
 */
import { z } from "zod";

/** int64 in protobuf's JSON: a number, or a string of digits (the canonical mapping). */
const int64 = z.union([z.number().int(), z.string().regex(/^-?\d+$/, "must be an integer")]);

/** Epoch milliseconds (an int64) as an ISO instant. */
export function instantOfMillis(millis: number | string): string {
  return new Date(Number(millis)).toISOString();
}

const tag = z.looseObject({ key: z.string(), value: z.string().optional() });

/** ModelVersion. `aliases` here are the names pointing at this version (repeated string). */
export const modelVersionSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  creation_timestamp: int64.optional(),
  last_updated_timestamp: int64.optional(),
  current_stage: z.string().optional(),
  description: z.string().optional(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.enum(["PENDING_REGISTRATION", "FAILED_REGISTRATION", "READY"]).optional(),
  tags: z.array(tag).optional(),
  run_link: z.string().optional(),
  aliases: z.array(z.string()).optional(),
});
export type ModelVersionPayload = z.infer<typeof modelVersionSchema>;

/** RegisteredModelAlias: an alias and the version number it points to. */
const aliasSchema = z.looseObject({ alias: z.string(), version: z.string() });

export const registeredModelSchema = z.looseObject({
  name: z.string(),
  creation_timestamp: int64.optional(),
  last_updated_timestamp: int64.optional(),
  description: z.string().optional(),
  /** The latest READY version of each stage (servers before aliases mark production by stage). */
  latest_versions: z.array(modelVersionSchema).optional(),
  tags: z.array(tag).optional(),
  aliases: z.array(aliasSchema).optional(),
});
export type RegisteredModelPayload = z.infer<typeof registeredModelSchema>;

/** GET registered-models/search. */
export const searchRegisteredModelsSchema = z.looseObject({
  registered_models: z.array(registeredModelSchema).optional(),
  next_page_token: z.string().optional(),
});

/** GET registered-models/get. */
export const getRegisteredModelSchema = z.looseObject({ registered_model: registeredModelSchema });

/** GET registered-models/alias (GetModelVersionByAlias). */
export const modelVersionByAliasSchema = z.looseObject({ model_version: modelVersionSchema });

/** GET model-versions/search. */
export const searchModelVersionsSchema = z.looseObject({
  model_versions: z.array(modelVersionSchema).optional(),
  next_page_token: z.string().optional(),
});

/** A double in protobuf's JSON: a number, or "NaN" / "Infinity" / "-Infinity". */
const double = z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])]);

/** Metric: the run's latest value of one key (runs/get returns the latest per key). */
export const metricSchema = z.looseObject({
  key: z.string(),
  value: double,
  timestamp: int64,
  step: int64.optional(),
});
export type MetricPayload = z.infer<typeof metricSchema>;

/** GET runs/get: the run's info and data; only the metrics are read. */
export const getRunSchema = z.looseObject({
  run: z.looseObject({
    info: z.looseObject({ run_id: z.string().optional(), status: z.string().optional() }),
    data: z.looseObject({ metrics: z.array(metricSchema).optional() }).optional(),
  }),
});

/** MLflow's error body: `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "..."}`. */
export function describeMlflowError(body: unknown): string {
  if (typeof body !== "object" || body === null) return "";
  const { error_code: code, message } = body as { error_code?: unknown; message?: unknown };
  return [typeof code === "string" ? code : "", typeof message === "string" ? message : ""].filter(Boolean).join(": ");
}
