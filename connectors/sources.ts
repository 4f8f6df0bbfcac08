/**
 * Every source Shipshape syncs — the one list (docs/architecture.md, "Sources and streams"). A source's
 * key here is its **name**: its block under `sources:` in shipshape.yaml, `shipshape sync
 * --source NAME`, `sync_runs.source` and `stream_states.source`. Its `records` is the **record
 * tag**, the `source` column of the records it stores, which names where a record came from
 * and so which key space its `external_id` is in. The two differ where several entry points
 * give the same records: the `deploy_logs` source, `shipshape ingest` and POST /api/ingest all
 * store `deploy_log` records.
 */
import { dbtSource } from "./dbt/source";
import { deployLogsSource } from "./deploy-log/source";
import { githubSource } from "./github/source";
import { jiraSource } from "./jira/source";
import { mlflowSource } from "./mlflow/source";
import { airflowSource } from "./airflow/source";

export const sources = {
  github: githubSource(),
  jira: jiraSource(),
  deploy_logs: deployLogsSource(),
  dbt: dbtSource(),
  mlflow: mlflowSource(),
  airflow: airflowSource(),
};

export type SourceName = keyof typeof sources;

/** In the order status, the CLI and the sources page list them. */
export const SOURCE_NAMES = Object.keys(sources) as SourceName[];
