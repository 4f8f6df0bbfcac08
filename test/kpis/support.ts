/** Shared by the KPI tests: a real configuration, report contexts, and records with defaults. */
import type { InferInsertModel } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Store } from "@/db/client";
import { dataQualityIssues, dataRefreshes, deployments, modelMetrics, modelSlaObservations, releases, workItems } from "@/db/schema";
import { parseConfig, type Config } from "@/lib/config/load";
import type { Kpi, KpiContext } from "@/lib/kpis/kpi";
import { reportWindow } from "@/lib/time/window";

export const CONFIG_YAML = `
timezone: UTC
projects:
  - slug: fraud
    name: Fraud detection
    github: { repos: [acme/fraud-api, acme/fraud-model] }
    jira: { projects: [FRD] }
    services: [fraud-api]
    models: [fraud-xgb, fraud-nn]
    datasets: [transactions, chargebacks]
  - slug: churn
    name: Churn
    timezone: America/New_York
    github: { repos: [acme/churn] }
    jira: { projects: [CHN] }
    services: [churn-api]
    models: [churn-lgbm]
    datasets: [events]
`;

export function testConfig(yaml = CONFIG_YAML): Config {
  return parseConfig(yaml, "test.yaml", {} as NodeJS.ProcessEnv);
}

/** A report context over [from, to] in `timezone`; `now` defaults to long after the window. */
export function contextFor(
  config: Config,
  slug: string,
  window: { from: string; to: string; timezone?: string; now?: string },
): KpiContext {
  const project = config.projects.find((p) => p.slug === slug)!;
  return {
    project,
    config,
    window: reportWindow(window.from, window.to, window.timezone ?? project.timezone),
    now: new Date(window.now ?? "2100-01-01T00:00:00Z"),
  };
}

let sequence = 0;
const nextId = () => `r${++sequence}`;

async function insert<T extends PgTable>(store: Store, table: T, rows: InferInsertModel<T>[]) {
  if (rows.length) await store.db.insert(table).values(rows as never);
}

type WorkItem = Partial<InferInsertModel<typeof workItems>> & Pick<InferInsertModel<typeof workItems>, "source" | "container" | "key">;

/** A work item: GitHub (closed as completed when resolved) or Jira (Done when resolved). */
export function workItem(item: WorkItem): InferInsertModel<typeof workItems> {
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

export const insertWorkItems = (store: Store, items: WorkItem[]) => insert(store, workItems, items.map(workItem));

export function insertReleases(store: Store, rows: (Partial<InferInsertModel<typeof releases>> & { repo: string; tag: string })[]) {
  return insert(store, releases, rows.map((r) => ({ source: "github", externalId: `${r.repo}@${r.tag}`, raw: {}, ...r })));
}

export function insertRefreshes(store: Store, rows: (Partial<InferInsertModel<typeof dataRefreshes>> & { dataset: string; finishedAt: string })[]) {
  return insert(store, dataRefreshes, rows.map((r) => ({ source: "deploy_log", externalId: nextId(), raw: {}, status: "success", ...r })));
}

export function insertMetrics(
  store: Store,
  rows: (Partial<InferInsertModel<typeof modelMetrics>> & { model: string; metric: string; value: number; observedAt: string })[],
) {
  return insert(store, modelMetrics, rows.map((r) => ({ source: "deploy_log", externalId: nextId(), raw: {}, ...r })));
}

export function insertSla(
  store: Store,
  rows: (Partial<InferInsertModel<typeof modelSlaObservations>> & { model: string; value: number; limit: number; observedAt: string })[],
) {
  return insert(store, modelSlaObservations, rows.map((r) => ({ source: "deploy_log", externalId: nextId(), raw: {}, objective: "latency_p95_ms", ...r })));
}

/** The project entry and the per-dimension entries of a KPI, and its drill-down ids. */
export async function entries(store: Store, kpi: Kpi, context: KpiContext) {
  return kpi.compute(store, context);
}

export async function eventIds(store: Store, kpi: Kpi, context: KpiContext, dimension: string | null = null) {
  return (await kpi.events(store, context, dimension)).map((event) => event.id);
}

export { insert };

type Deployment = Partial<InferInsertModel<typeof deployments>> & { finishedAt: string };

/** A completed production deployment of kind code unless told otherwise. */
export function insertDeployments(store: Store, rows: Deployment[]) {
  return insert(
    store,
    deployments,
    rows.map((r) => ({ source: "deploy_log", externalId: nextId(), raw: {}, environment: "production", status: "success", ...r })),
  );
}

export function insertQualityIssues(
  store: Store,
  rows: (Partial<InferInsertModel<typeof dataQualityIssues>> & { externalId: string; dataset: string; detectedAt: string })[],
) {
  return insert(store, dataQualityIssues, rows.map((r) => ({ source: "deploy_log", raw: {}, ...r })));
}
