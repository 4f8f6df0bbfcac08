/**
 * The `airflow` source (docs/airflow.md): every DAG the `datasets` mapping names is a
 * partition, read by the runs stream (streams.ts). Airflow 3 with a username and password
 * gets its JWT when the run opens. A 401 stops the whole source; anything else (a DAG Airflow
 * does not have, a 403 on one DAG, a 5xx) fails that DAG only.
 */
import { describeHttpFailure } from "@/connectors/http/json-client";
import type { Source } from "@/connectors/stream";
import { AirflowClient, type AirflowConnection } from "./client";
import { SOURCE } from "./records";
import { runsStream, type AirflowSession, type AirflowSettings } from "./streams";

export type { AirflowSettings };

/** DAG id → the datasets it refreshes, from `datasets` (dataset → DAG ids). */
export function datasetsByDag(datasets: Record<string, string[]>): Map<string, string[]> {
  const byDag = new Map<string, string[]>();
  for (const [dataset, dags] of Object.entries(datasets)) {
    for (const dag of dags) {
      const mapped = byDag.get(dag) ?? [];
      if (!mapped.includes(dataset)) mapped.push(dataset);
      byDag.set(dag, mapped);
    }
  }
  return byDag;
}

/** The source; `tuning` shortens retries and backoff in tests. */
export function airflowSource(tuning: Pick<AirflowConnection, "backoffMs" | "retries"> = {}): Source<string, AirflowSession, AirflowSettings> {
  return {
    title: "Airflow",
    records: SOURCE,
    origin: (settings) => `${settings.base_url} (API v${settings.api_version})`,
    async open({ settings, log, requests }) {
      const client = new AirflowClient({
        baseUrl: settings.base_url,
        apiVersion: settings.api_version,
        username: settings.username,
        password: settings.password,
        token: settings.token,
        log,
        countRequest: requests.add,
        ...tuning,
      });
      await client.authenticate();
      return { client, datasetsOf: datasetsByDag(settings.datasets), since: settings.since ? `${settings.since}T00:00:00.000Z` : null };
    },
    partitions: async ({ settings }) => [...datasetsByDag(settings.datasets).keys()],
    key: (dag) => dag,
    streams: [runsStream],
    describeFailure: (error) =>
      describeHttpFailure(error, "check sources.airflow.username and password (Airflow 3 exchanges them for a token at /auth/token) or sources.airflow.token"),
  };
}
