/**
 * One way to make stored records in tests: a factory per table that fills in what a test does
 * not care about (source, key, raw payload, a completed production deployment of the "fraud"
 * project's service, …), and an insert per table that takes the fields a test does care about.
 * Every insert runs its rows through the factory, so `insertDeployments(store, [{ finishedAt }])`
 * and `insertDeployments(store, [deployment("d1", finishedAt)])` store the same kind of row.
 */
import type { InferInsertModel } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Store } from "@/db/client";
import { placeCommits } from "@/connectors/github/enrichers";
import {
  commits,
  dataQualityIssues,
  dataRefreshes,
  deployments,
  incidents,
  modelMetrics,
  modelSlaObservations,
  pullRequestCommits,
  pullRequests,
  releases,
  workItems,
} from "@/db/schema";
import { kpiIdentity } from "@/lib/kpis/ids";
import type { ReportEntry } from "@/lib/report/build";

type Row<T extends PgTable> = InferInsertModel<T>;
/** A record's fields: `required` must be given, everything else has a default. */
type Fields<T extends PgTable, Required extends keyof Row<T>> = Partial<Row<T>> & Pick<Row<T>, Required>;

let sequence = 0;
/** A key no other record of the test run has. */
const nextId = () => `r${++sequence}`;

/** Inserts rows as they are (no defaults): for tables without a factory, or rows a test built whole. */
export async function insertRecords<T extends PgTable>(store: Store, table: T, rows: Row<T>[]): Promise<void> {
  if (rows.length) await store.db.insert(table).values(rows as never);
}

/** A completed (success) production deployment of kind code of the "fraud" project's service fraud-api, unless told otherwise. */
export function deploymentRecord(fields: Fields<typeof deployments, "finishedAt">): Row<typeof deployments> {
  const externalId = fields.externalId ?? nextId();
  return { source: "deploy_log", externalId, raw: { id: externalId }, service: "fraud-api", environment: "production", status: "success", ...fields };
}

export const deployment = (id: string, finishedAt: string, fields: Partial<Row<typeof deployments>> = {}) =>
  deploymentRecord({ ...fields, externalId: id, finishedAt });

export const insertDeployments = (store: Store, rows: Fields<typeof deployments, "finishedAt">[]) =>
  insertRecords(store, deployments, rows.map(deploymentRecord));

/** A deployment-log incident that names nothing (no service, deployment or commit) unless told. */
export function incidentRecord(fields: Fields<typeof incidents, "startedAt">): Row<typeof incidents> {
  const externalId = fields.externalId ?? nextId();
  return { source: "deploy_log", externalId, raw: { id: externalId }, ...fields };
}

export const incident = (id: string, startedAt: string, fields: Partial<Row<typeof incidents>> = {}) => incidentRecord({ ...fields, externalId: id, startedAt });

export const insertIncidents = (store: Store, rows: Fields<typeof incidents, "startedAt">[]) => insertRecords(store, incidents, rows.map(incidentRecord));

/** A commit of acme/fraud-api on the default branch (unless told otherwise), authored at `authoredAt`. */
export function commit(sha: string, parents: string[], authoredAt: string, fields: Partial<Row<typeof commits>> = {}): Row<typeof commits> {
  const repo = fields.repo ?? "acme/fraud-api";
  return { source: "github", externalId: `${repo}@${sha}`, raw: {}, repo, sha, parents, authoredAt, message: `commit ${sha}\n\nbody`, onDefaultBranch: true, ...fields };
}

/** Stores commits and places them on their repo's default-branch line, as the GitHub sync's enricher does. */
export async function insertCommits(store: Store, rows: Row<typeof commits>[]): Promise<void> {
  await insertRecords(store, commits, rows);
  for (const repo of new Set(rows.map((row) => row.repo))) await placeCommits(store, repo);
}

/**
 * A pull request of acme/fraud-api merged into the default branch with `mergeCommitSha`, and
 * its own commits (sha, authored) as GitHub lists them.
 */
export async function insertPullRequest(
  store: Store,
  pull: { number: number; mergeCommitSha: string; commits: [string, string][] } & Partial<Row<typeof pullRequests>>,
): Promise<void> {
  const { commits: own, ...fields } = pull;
  const repo = fields.repo ?? "acme/fraud-api";
  await insertRecords(store, pullRequests, [
    {
      source: "github",
      externalId: `${repo}#${pull.number}`,
      raw: {},
      repo,
      title: `PR ${pull.number}`,
      url: `https://github.com/${repo}/pull/${pull.number}`,
      baseRef: "main",
      headRef: `feature/${pull.number}`,
      mergedToDefault: true,
      mergedAt: "2026-01-01T00:00:00Z",
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:00Z",
      ...fields,
    },
  ]);
  await insertRecords(
    store,
    pullRequestCommits,
    own.map(([sha, authoredAt]) => ({ repo, number: pull.number, sha, authoredAt })),
  );
}

/** A work item: GitHub (closed as completed when resolved) or Jira (Done when resolved). */
export function workItem(item: Fields<typeof workItems, "source" | "container" | "key">): Row<typeof workItems> {
  const github = item.source === "github";
  const resolved = item.resolvedAt != null;
  return {
    externalId: `${item.container}/${item.key}`,
    raw: {},
    title: `issue ${item.key}`,
    labels: [],
    status: github ? (resolved ? "closed" : "open") : resolved ? "Done" : "In Progress",
    statusCategory: github ? null : resolved ? "done" : "indeterminate",
    resolution: github ? (resolved ? "completed" : null) : resolved ? "Done" : null,
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: item.resolvedAt ?? "2026-01-01T00:00:00Z",
    ...item,
  };
}

export const insertWorkItems = (store: Store, items: Fields<typeof workItems, "source" | "container" | "key">[]) => insertRecords(store, workItems, items.map(workItem));

export function insertReleases(store: Store, rows: Fields<typeof releases, "repo" | "tag">[]) {
  return insertRecords(store, releases, rows.map((r) => ({ source: "github", externalId: `${r.repo}@${r.tag}`, raw: {}, ...r })));
}

export function insertRefreshes(store: Store, rows: Fields<typeof dataRefreshes, "dataset" | "finishedAt">[]) {
  return insertRecords(store, dataRefreshes, rows.map((r) => ({ source: "deploy_log", externalId: nextId(), raw: {}, status: "success", ...r })));
}

export function insertMetrics(store: Store, rows: Fields<typeof modelMetrics, "model" | "metric" | "value" | "observedAt">[]) {
  return insertRecords(store, modelMetrics, rows.map((r) => ({ source: "deploy_log", externalId: nextId(), raw: {}, ...r })));
}

export function insertSla(store: Store, rows: Fields<typeof modelSlaObservations, "model" | "value" | "limit" | "observedAt">[]) {
  return insertRecords(store, modelSlaObservations, rows.map((r) => ({ source: "deploy_log", externalId: nextId(), raw: {}, objective: "latency_p95_ms", ...r })));
}

export function insertQualityIssues(store: Store, rows: Fields<typeof dataQualityIssues, "externalId" | "dataset" | "detectedAt">[]) {
  return insertRecords(store, dataQualityIssues, rows.map((r) => ({ source: "deploy_log", raw: {}, ...r })));
}

/** A deployment-log line's record as inputs.md writes it: a successful production deployment of service api, unless told otherwise. */
export function deployLogDeployment(id: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: "deployment", id, service: "api", environment: "production", status: "success", finished_at: "2026-03-01T10:00:00Z", ...fields };
}

/**
 * A report entry (lib/report/build.ts) for tests of what reads a report — the portfolio's
 * counts, the missing-data notes: the KPI's pillar and unit from the catalog, one event, no
 * target, unless the test says otherwise.
 */
export function reportEntry(fields: Partial<ReportEntry> & Pick<ReportEntry, "id">): ReportEntry {
  const { pillar, unit } = kpiIdentity(fields.id);
  return { pillar, unit, dimension: null, value: 1, sample_size: 1, previous: null, target: null, status: "no_target", band: null, coverage: null, forecast: null, ...fields };
}
