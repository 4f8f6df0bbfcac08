/**
 * One deployment-log record: checked against its type's schema and mapped to its table's row,
 * keyed as inputs.md says ("Idempotent"), or rejected with a one-line reason naming the field.
 */
import type { InferInsertModel } from "drizzle-orm";
import type { z } from "zod";
import {
  dataQualityIssues,
  dataRefreshes,
  deploymentLogSchemas,
  deploymentLogTypes,
  deployments,
  incidents,
  modelMetrics,
  modelSlaObservations,
  type DeploymentLogType,
} from "@/db/schema";
import { MAX_NESTING, nestedDeeperThan } from "@/db/storable";

export const SOURCE = "deploy_log";

/** The table each record type is stored in. */
export const recordTables = {
  deployment: deployments,
  incident: incidents,
  model_metric: modelMetrics,
  model_sla: modelSlaObservations,
  data_refresh: dataRefreshes,
  data_quality_issue: dataQualityIssues,
} as const;

export type RowOf<T extends DeploymentLogType> = InferInsertModel<(typeof recordTables)[T]>;
export type NormalizedRecord = { [T in DeploymentLogType]: { type: T; row: RowOf<T> } }[DeploymentLogType];

export interface Rejection {
  line: number;
  raw: string;
  reason: string;
  /** Set when the line names a known type, so rejections can be counted per type. */
  type?: DeploymentLogType;
}

/** A valid record with its line's number and text (kept in case the database refuses it). */
export type Accepted = { ok: true; line: number; text: string } & NormalizedRecord;
export type Entry = Accepted | ({ ok: false } & Rejection);

type Parsed = { [T in DeploymentLogType]: z.infer<(typeof deploymentLogSchemas)[T]> };

const isType = (value: string): value is DeploymentLogType => (deploymentLogTypes as readonly string[]).includes(value);
const knownType = (value: unknown) => (typeof value === "string" && isType(value) ? value : undefined);

/** Why a record nested deeper than the database keeps JSON is rejected (docs/ingest.md). */
export const NESTED_TOO_DEEP = `nested too deep (more than ${MAX_NESTING} levels of arrays and objects)`;

/**
 * Checks one parsed record. `raw` is stored as the record as received; `text` is the line as
 * read (for the rejection); `fields` may differ from `raw` when the reader has coerced values.
 */
export function checkRecord(line: number, text: string, raw: unknown, fields: unknown = raw): Entry {
  const reject = (reason: string, type?: DeploymentLogType): Entry => ({ ok: false, line, raw: text, reason, type });
  if (typeof fields !== "object" || fields === null || Array.isArray(fields)) return reject("not a JSON object");
  // First: describing a field's value, and storing the record, serialize it (JSON.stringify
  // overflows the stack a few thousand levels down).
  if (nestedDeeperThan(raw, MAX_NESTING)) return reject(NESTED_TOO_DEEP, knownType((fields as Record<string, unknown>).type));
  const present = withoutNulls(fields as Record<string, unknown>);
  const type = present.type;
  if (type === undefined) return reject("missing field type");
  if (typeof type !== "string") return reject("type must be a string");
  if (!isType(type)) return reject(`unknown type ${JSON.stringify(type)}`);
  const result = deploymentLogSchemas[type].safeParse(present);
  if (!result.success) return reject(result.error.issues.map((issue) => describeIssue(issue, present, { text, raw })).join("; "), type);
  return { ok: true, line, text, ...normalize(result.data as Parsed[typeof type], raw) };
}

/**
 * One record that must be valid (the demo's, a test's) → its type and row, exactly as a
 * deployment log's line would be stored; a record `checkRecord` rejects throws with the reason.
 */
export function deployLogRecord(record: Record<string, unknown>): NormalizedRecord {
  const entry = checkRecord(0, "", record);
  if (!entry.ok) throw new Error(`invalid ${String(record.type)} record: ${entry.reason}`);
  return { type: entry.type, row: entry.row } as NormalizedRecord;
}

/** A null field is an absent one (JSON writers emit `"resolved_at": null` for "not yet"). */
function withoutNulls(fields: Record<string, unknown>): Record<string, unknown> {
  for (const key in fields) {
    if (fields[key] === null) return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
  }
  return fields;
}

const EXPECTED: Record<string, string> = { string: "a string", number: "a number", boolean: "true or false" };

/** What was received: the line's text and the record as parsed (for CSV, its cells as text). */
interface Received {
  text: string;
  raw: unknown;
}

function describeIssue(issue: z.core.$ZodIssue, fields: Record<string, unknown>, received: Received): string {
  const field = issue.path.join(".");
  const value = fields[String(issue.path[0])];
  if (value === undefined && (issue.code === "invalid_type" || issue.code === "invalid_value")) return `missing field ${field}`;
  // JSON reads 1e400 as Infinity, which JSON.stringify would show as null: show what was sent.
  if (typeof value === "number" && !Number.isFinite(value)) {
    const sent = numberAsSent(String(issue.path[0]), received);
    return `${field} is out of range: numbers go up to ±1.8e308${sent ? ` (got ${sent})` : ""}`;
  }
  switch (issue.code) {
    case "invalid_type": {
      // The schema's own message ("must be an ISO 8601 timestamp …") says more than zod's default.
      const problem = issue.message.startsWith("Invalid") ? `must be ${EXPECTED[issue.expected] ?? issue.expected}` : issue.message;
      return `${field} ${problem} (got ${preview(value)})`;
    }
    case "invalid_value":
      return `${field} must be one of ${issue.values.join(", ")} (got ${preview(value)})`;
    default:
      return `${field} ${issue.message}`;
  }
}

/** A field's number as written: a CSV cell, or the literal after `"field":` on a JSON line. */
function numberAsSent(field: string, { text, raw }: Received): string | undefined {
  const cell = (raw as Record<string, unknown> | null)?.[field];
  const literal =
    typeof cell === "string" ? cell : new RegExp(`"${field}"\\s*:\\s*(-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)`).exec(text)?.[1];
  return literal === undefined ? undefined : preview(literal).replace(/^"|"$/g, "");
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * The instant in UTC, so one instant written with two offsets is one key. Date keeps
 * milliseconds only; finer digits are carried over. (Stored columns take the timestamp as
 * written: PostgreSQL reads its offset, and formatting every timestamp costs more than the
 * rest of a record's checks.)
 */
export function toUtc(timestamp: string): string {
  const iso = new Date(timestamp).toISOString();
  const finer = /\.\d{3}(\d+)/.exec(timestamp)?.[1]?.replace(/0+$/, "");
  return finer ? `${iso.slice(0, -1)}${finer}Z` : iso;
}

/**
 * The key of a record without an id (inputs.md, "Idempotent"): what identifies the observation,
 * without its value, so a corrected value re-sent for it replaces the stored one. The format
 * (a JSON array, instants as `toUtc` writes them) is also built by migration 0003, which
 * re-keyed the rows stored under the older keys that held the value.
 */
const tupleKey = (...fields: string[]) => JSON.stringify(fields);

const normalizers: { [T in DeploymentLogType]: (record: Parsed[T], raw: unknown) => RowOf<T> } = {
  deployment: (r, raw) => ({
    source: SOURCE,
    externalId: r.id,
    raw,
    service: r.service,
    environment: r.environment,
    status: r.status,
    kind: r.kind,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    version: r.version,
    repo: r.repo,
    commitSha: r.commit_sha,
    model: r.model,
    hotfix: r.hotfix,
  }),
  incident: (r, raw) => ({
    source: SOURCE,
    externalId: r.id,
    raw,
    startedAt: r.started_at,
    resolvedAt: r.resolved_at,
    service: r.service,
    title: r.title,
    severity: r.severity,
    deploymentId: r.deployment_id,
    commitSha: r.commit_sha,
    project: r.project,
  }),
  model_metric: (r, raw) => ({
    source: SOURCE,
    externalId: tupleKey(r.model, r.metric, r.environment, toUtc(r.observed_at)),
    raw,
    model: r.model,
    metric: r.metric,
    value: r.value,
    observedAt: r.observed_at,
    version: r.version,
    environment: r.environment,
    direction: r.direction,
  }),
  model_sla: (r, raw) => ({
    source: SOURCE,
    externalId: tupleKey(r.model, r.objective, toUtc(r.observed_at)),
    raw,
    model: r.model,
    objective: r.objective,
    value: r.value,
    limit: r.limit,
    observedAt: r.observed_at,
    direction: r.direction,
  }),
  data_refresh: (r, raw) => ({
    source: SOURCE,
    externalId: r.id ?? tupleKey(r.dataset, toUtc(r.finished_at)),
    raw,
    dataset: r.dataset,
    status: r.status,
    finishedAt: r.finished_at,
    startedAt: r.started_at,
    rows: r.rows,
  }),
  data_quality_issue: (r, raw) => ({
    source: SOURCE,
    externalId: r.id,
    raw,
    dataset: r.dataset,
    detectedAt: r.detected_at,
    resolvedAt: r.resolved_at,
    description: r.description,
  }),
};

function normalize<T extends DeploymentLogType>(record: Parsed[T], raw: unknown): NormalizedRecord {
  const type = record.type as T;
  return { type, row: normalizers[type](record, raw) } as NormalizedRecord;
}
