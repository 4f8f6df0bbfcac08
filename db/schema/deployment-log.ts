/**
 * The record types of the deployment log (../shared/spec/inputs.md), each table beside the
 * zod schema that validates one incoming record of it. GitHub deployments and incidents from
 * other sources land in the same tables with another `source`.
 */
import { bigint, boolean, doublePrecision, index, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { z } from "zod";
import { instant, sourceColumns } from "./columns";

/** ISO 8601 with an offset or Z; a naive timestamp is an error (inputs.md). */
const timestamp = z.iso.datetime({ offset: true, message: "must be an ISO 8601 timestamp with an offset or Z" });
const name = z.string().trim().min(1, "must not be empty");
const optionalName = z.string().trim().min(1, "must not be empty").optional();

export const deployments = pgTable(
  "deployments",
  {
    id: serial("id").primaryKey(),
    ...sourceColumns(),
    service: text("service"),
    environment: text("environment").notNull(),
    status: text("status").notNull(),
    kind: text("kind").notNull().default("code"),
    startedAt: instant("started_at"),
    finishedAt: instant("finished_at").notNull(),
    version: text("version"),
    repo: text("repo"),
    commitSha: text("commit_sha"),
    ref: text("ref"),
    model: text("model"),
    hotfix: boolean("hotfix").notNull().default(false),
  },
  (t) => [
    uniqueIndex("deployments_key").on(t.source, t.externalId),
    index("deployments_finished").on(t.finishedAt),
    index("deployments_service").on(t.service, t.finishedAt),
    index("deployments_repo").on(t.repo, t.finishedAt),
    index("deployments_model").on(t.model, t.finishedAt),
    index("deployments_commit").on(t.commitSha),
  ],
);

/** A run that ends before it starts is a typo or a clock gone wrong: rejected, not stored. */
const startedBy = (end: string) => ({ message: `is after ${end}`, path: ["started_at"] });
const startsBefore = (started: string | undefined, end: string) => !started || Date.parse(started) <= Date.parse(end);

export const deploymentRecord = z.object({
  type: z.literal("deployment"),
  id: name,
  service: name,
  environment: name,
  status: z.enum(["success", "failure", "rolled_back"]),
  finished_at: timestamp,
  kind: z.enum(["code", "model"]).default("code"),
  started_at: timestamp.optional(),
  version: optionalName,
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/name").optional(),
  commit_sha: z.string().regex(/^[0-9a-fA-F]{7,64}$/, "must be a hexadecimal commit sha").optional(),
  model: optionalName,
  hotfix: z.boolean().default(false),
}).refine((r) => startsBefore(r.started_at, r.finished_at), startedBy("finished_at"));

export const incidents = pgTable(
  "incidents",
  {
    id: serial("id").primaryKey(),
    ...sourceColumns(),
    startedAt: instant("started_at").notNull(),
    resolvedAt: instant("resolved_at"),
    service: text("service"),
    title: text("title"),
    severity: text("severity"),
    deploymentId: text("deployment_id"),
    commitSha: text("commit_sha"),
    /** The project slug the incident names: it is that project's only (kpis.md, "Project scope"). */
    project: text("project"),
  },
  (t) => [
    uniqueIndex("incidents_key").on(t.source, t.externalId),
    index("incidents_started").on(t.startedAt),
    index("incidents_resolved").on(t.resolvedAt),
    index("incidents_service").on(t.service),
  ],
);

export const incidentRecord = z
  .object({
    type: z.literal("incident"),
    id: name,
    started_at: timestamp,
    resolved_at: timestamp.optional(),
    service: optionalName,
    title: z.string().optional(),
    severity: z.string().optional(),
    deployment_id: optionalName,
    commit_sha: z.string().regex(/^[0-9a-fA-F]{7,64}$/, "must be a hexadecimal commit sha").optional(),
    /** Whether the slug is one of the configuration's is checked by the ingest, which knows the configuration. */
    project: z.string().regex(/^[a-z0-9-]+$/, "must be a project slug (lower-case letters, digits and dashes)").optional(),
  })
  .refine((r) => !r.resolved_at || Date.parse(r.resolved_at) >= Date.parse(r.started_at), {
    message: "is before started_at",
    path: ["resolved_at"],
  });

export const modelMetrics = pgTable(
  "model_metrics",
  {
    id: serial("id").primaryKey(),
    ...sourceColumns(),
    model: text("model").notNull(),
    metric: text("metric").notNull(),
    value: doublePrecision("value").notNull(),
    observedAt: instant("observed_at").notNull(),
    version: text("version"),
    environment: text("environment").notNull().default("production"),
    direction: text("direction"),
  },
  (t) => [
    uniqueIndex("model_metrics_key").on(t.source, t.externalId),
    index("model_metrics_model").on(t.model, t.observedAt),
  ],
);

export const modelMetricRecord = z.object({
  type: z.literal("model_metric"),
  model: name,
  metric: name,
  value: z.number(),
  observed_at: timestamp,
  version: optionalName,
  environment: name.default("production"),
  direction: z.enum(["higher", "lower"]).optional(),
});

export const modelSlaObservations = pgTable(
  "model_sla_observations",
  {
    id: serial("id").primaryKey(),
    ...sourceColumns(),
    model: text("model").notNull(),
    objective: text("objective").notNull(),
    value: doublePrecision("value").notNull(),
    limit: doublePrecision("limit").notNull(),
    observedAt: instant("observed_at").notNull(),
    direction: text("direction").notNull().default("max"),
  },
  (t) => [
    uniqueIndex("model_sla_key").on(t.source, t.externalId),
    index("model_sla_model").on(t.model, t.observedAt),
  ],
);

export const modelSlaRecord = z.object({
  type: z.literal("model_sla"),
  model: name,
  objective: name,
  value: z.number(),
  limit: z.number(),
  observed_at: timestamp,
  direction: z.enum(["max", "min"]).default("max"),
});

export const dataRefreshes = pgTable(
  "data_refreshes",
  {
    id: serial("id").primaryKey(),
    ...sourceColumns(),
    dataset: text("dataset").notNull(),
    status: text("status").notNull(),
    finishedAt: instant("finished_at").notNull(),
    startedAt: instant("started_at"),
    rows: bigint("rows", { mode: "number" }),
  },
  (t) => [
    uniqueIndex("data_refreshes_key").on(t.source, t.externalId),
    index("data_refreshes_dataset").on(t.dataset, t.finishedAt),
  ],
);

export const dataRefreshRecord = z.object({
  type: z.literal("data_refresh"),
  dataset: name,
  status: z.enum(["success", "failure"]),
  finished_at: timestamp,
  id: optionalName,
  started_at: timestamp.optional(),
  rows: z.number().int("must be a whole number").nonnegative("must not be negative").max(Number.MAX_SAFE_INTEGER, "is too large").optional(),
}).refine((r) => startsBefore(r.started_at, r.finished_at), startedBy("finished_at"));

export const dataQualityIssues = pgTable(
  "data_quality_issues",
  {
    id: serial("id").primaryKey(),
    ...sourceColumns(),
    dataset: text("dataset").notNull(),
    detectedAt: instant("detected_at").notNull(),
    resolvedAt: instant("resolved_at"),
    description: text("description"),
  },
  (t) => [
    uniqueIndex("data_quality_issues_key").on(t.source, t.externalId),
    index("data_quality_issues_detected").on(t.dataset, t.detectedAt),
  ],
);

export const dataQualityIssueRecord = z
  .object({
    type: z.literal("data_quality_issue"),
    id: name,
    dataset: name,
    detected_at: timestamp,
    resolved_at: timestamp.optional(),
    description: z.string().optional(),
  })
  .refine((r) => !r.resolved_at || Date.parse(r.resolved_at) >= Date.parse(r.detected_at), {
    message: "is before detected_at",
    path: ["resolved_at"],
  });

/** One deployment-log record, told apart by `type`. */
export const deploymentLogRecord = z.discriminatedUnion("type", [
  deploymentRecord,
  incidentRecord,
  modelMetricRecord,
  modelSlaRecord,
  dataRefreshRecord,
  dataQualityIssueRecord,
]);
export type DeploymentLogRecord = z.infer<typeof deploymentLogRecord>;
export type DeploymentLogType = DeploymentLogRecord["type"];
export const deploymentLogTypes = ["deployment", "incident", "model_metric", "model_sla", "data_refresh", "data_quality_issue"] as const satisfies readonly DeploymentLogType[];

/**
 * The schema of each type, so a record is checked against its own type's schema only (and an
 * unknown type is told apart from a bad field). Messages are predicates: the reader prefixes
 * the field name ("resolved_at is before started_at").
 */
export const deploymentLogSchemas = {
  deployment: deploymentRecord,
  incident: incidentRecord,
  model_metric: modelMetricRecord,
  model_sla: modelSlaRecord,
  data_refresh: dataRefreshRecord,
  data_quality_issue: dataQualityIssueRecord,
} as const satisfies Record<DeploymentLogType, z.ZodType>;

