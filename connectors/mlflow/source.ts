/**
 * The `mlflow` source (docs/mlflow.md): every registered model a project names in `models` is
 * a partition, read by the production stream (streams.ts). A name the registry does not have
 * is no partition — projects name deployment-log models there too — and is said in the log.
 * A 401 stops the whole source; anything else (a 403 on one model, a 404, a 5xx) fails that
 * model only.
 */
import { describeHttpFailure } from "@/connectors/http/json-client";
import type { Source } from "@/connectors/stream";
import { MlflowClient, type MlflowConnection } from "./client";
import { SOURCE } from "./records";
import { productionStream, type MlflowSession, type MlflowSettings } from "./streams";

export type { MlflowSettings };

/** What the connector reads of a project. */
export interface MlflowProject {
  models: string[];
}

export interface MlflowTuning extends Pick<MlflowConnection, "backoffMs" | "retries"> {
  /** The sync's clock. */
  now?: () => Date;
}

/** The source; `tuning` shortens retries and backoff, and sets the clock, in tests. */
export function mlflowSource(tuning: MlflowTuning = {}): Source<string, MlflowSession, MlflowSettings, MlflowProject> {
  const { now = () => new Date(), ...connection } = tuning;
  return {
    title: "MLflow",
    records: SOURCE,
    origin: (settings) => settings.base_url,
    async open({ settings, log, requests }) {
      const client = new MlflowClient({ baseUrl: settings.base_url, token: settings.token, log, countRequest: requests.add, ...connection });
      return { client, settings, now };
    },
    async partitions({ projects, log }, session) {
      const named = [...new Set(projects.flatMap((project) => project.models))];
      if (named.length === 0) return [];
      const registered = new Set<string>();
      for await (const page of session.client.registeredModels()) for (const model of page) registered.add(model.name);
      const unknown = named.filter((name) => !registered.has(name));
      if (unknown.length) {
        log(`MLflow at ${session.client.origin} has no registered model ${unknown.join(", ")}: not read from MLflow (a deployment-log model?)`);
      }
      return named.filter((name) => registered.has(name));
    },
    key: (model) => model,
    streams: [productionStream],
    describeFailure: (error) => describeHttpFailure(error, "check sources.mlflow.token (a Bearer token; Databricks: a personal access token)"),
  };
}
