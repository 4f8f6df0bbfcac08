/**
 * The MLflow registry the tests sync, and running the sync against it. Times are January 2026.
 *
 * - fraud-xgb uses aliases: versions 1–3 (runs r1–r3); `production` and `champion` point at
 *   version 2 (last updated Jan 12, 10:00 UTC). Run r2 logged auc 0.91 and log_loss 0.21 on
 *   Jan 10, 12:00; r3 auc 0.93 on Jan 20, 12:00.
 * - churn-lgbm uses stages: version 1 in `Production` since Jan 5, 08:00 (run c1: auc 0.81 on
 *   Jan 4, 18:00); version 2 in `None`.
 * - unrelated-model is in the registry but named by no project; recsys is named by a project
 *   but is no registered model (a deployment-log model).
 */
import { sql } from "drizzle-orm";
import type { Store } from "@/db/client";
import { mlflowSource } from "@/connectors/mlflow/source";
import { parseConfig, type Config } from "@/lib/config/load";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import type { FakeMlflow } from "./fake-mlflow";

export const ms = (iso: string) => Date.parse(iso);

/** The first sync's time, and the later ones' of the incremental tests. */
export const FIRST_SYNC = "2026-01-15T00:00:00.000Z";

export function seedRegistry(fake: FakeMlflow) {
  fake.addModel("fraud-xgb", ms("2026-01-01T08:00:00Z"));
  fake.addVersion("fraud-xgb", { version: "1", created: ms("2026-01-02T09:00:00Z"), runId: "r1" });
  fake.addVersion("fraud-xgb", { version: "2", created: ms("2026-01-10T09:00:00Z"), updated: ms("2026-01-12T10:00:00Z"), runId: "r2" });
  fake.addVersion("fraud-xgb", { version: "3", created: ms("2026-01-14T09:00:00Z"), runId: "r3" });
  fake.setAlias("fraud-xgb", "production", "2");
  fake.setAlias("fraud-xgb", "champion", "2");
  fake.setAlias("fraud-xgb", "staging", "3");
  fake.logMetric("r1", "auc", 0.88, ms("2026-01-02T08:00:00Z"));
  fake.logMetric("r2", "auc", 0.9, ms("2026-01-10T11:00:00Z"), 0);
  fake.logMetric("r2", "auc", 0.91, ms("2026-01-10T12:00:00Z"), 1);
  fake.logMetric("r2", "log_loss", 0.21, ms("2026-01-10T12:00:00Z"));
  fake.logMetric("r2", "accuracy", 0.97, ms("2026-01-10T12:00:00Z")); // not configured
  fake.logMetric("r3", "auc", 0.93, ms("2026-01-20T12:00:00Z"));
  fake.logMetric("r3", "log_loss", 0.18, ms("2026-01-20T12:00:00Z"));

  fake.addModel("churn-lgbm", ms("2026-01-01T08:00:00Z"));
  fake.addVersion("churn-lgbm", { version: "1", created: ms("2026-01-03T09:00:00Z"), runId: "c1" });
  fake.setStage("churn-lgbm", "1", "Production", ms("2026-01-05T08:00:00Z"));
  fake.addVersion("churn-lgbm", { version: "2", created: ms("2026-01-13T09:00:00Z"), runId: "c2" });
  fake.logMetric("c1", "auc", 0.81, ms("2026-01-04T18:00:00Z"));
  fake.logMetric("c2", "auc", 0.84, ms("2026-01-13T08:00:00Z"));

  fake.addModel("unrelated-model", ms("2026-01-01T08:00:00Z"));
}

export function mlflowConfigYaml(url: string, extra = "") {
  return `timezone: UTC
projects:
  - slug: fraud
    name: Fraud detection
    models: [fraud-xgb, recsys]
  - slug: churn
    name: Churn
    timezone: Europe/Berlin
    models: [churn-lgbm]
sources:
  mlflow:
    base_url: ${url}
    token: mlflow-secret
    production_aliases: [production, champion]
    metrics: [auc, { name: log_loss, direction: lower }]
${extra}`;
}

export function mlflowConfig(url: string, extra = ""): Config {
  return parseConfig(mlflowConfigYaml(url, extra), "shipshape.yaml", {});
}

/** One sync run at `at`, with backoff shortened to milliseconds. */
export async function syncMlflow(store: Store, config: Config, at: string) {
  const lines: string[] = [];
  const source = mlflowSource({ backoffMs: 5, retries: 1, now: () => new Date(at) });
  const result = await runSync("mlflow", sourceSync("mlflow", source), { config, store, trigger: "manual", log: (line) => lines.push(line) });
  return { ...result, lines };
}

/** What the connector stores, in a stable order, without the database's ids and write times. */
export async function storedMlflow(store: Store) {
  const read = (query: string) => store.rows(sql.raw(query));
  return {
    events: await read(`SELECT model, pointer, version, change, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS at, raw::text FROM model_pointer_events ORDER BY at, model, pointer, change, version`),
    deployments: await read(
      `SELECT external_id, model, version, kind, environment, status, service, to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS finished_at, raw::text FROM deployments WHERE source = 'mlflow' ORDER BY external_id`,
    ),
    metrics: await read(
      `SELECT model, version, metric, value, environment, to_char(observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS observed_at, raw::text FROM model_metrics WHERE source = 'mlflow' ORDER BY model, version, metric, observed_at`,
    ),
    states: await read(`SELECT stream FROM stream_states WHERE source = 'mlflow' ORDER BY stream`),
  };
}

/** The deployments as "model version at" lines, for readable expectations. */
export async function deploymentLines(store: Store): Promise<string[]> {
  const rows = await store.rows<{ line: string }>(
    sql`SELECT model || ' ' || version || ' ' || to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS line FROM deployments WHERE source = 'mlflow' ORDER BY finished_at, model, version`,
  );
  return rows.map((row) => row.line);
}

export async function eventLines(store: Store): Promise<string[]> {
  const rows = await store.rows<{ line: string }>(
    sql`SELECT model || ' ' || pointer || ' ' || change || ' ' || version || ' ' || to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS line FROM model_pointer_events ORDER BY at, model, pointer, change, version`,
  );
  return rows.map((row) => row.line);
}

export async function metricLines(store: Store): Promise<string[]> {
  const rows = await store.rows<{ line: string }>(
    sql`SELECT model || ' ' || version || ' ' || metric || '=' || value || ' ' || to_char(observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS line FROM model_metrics WHERE source = 'mlflow' ORDER BY model, version, metric, observed_at`,
  );
  return rows.map((row) => row.line);
}
