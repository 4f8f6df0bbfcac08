/**
 * Airflow DAG runs as Shipshape records (kpis.md, "Reading the sources", Airflow): a finished
 * run of a DAG mapped to a dataset is a `data_refresh` of it — `success` → success, `failed` →
 * failure, finishing at the run's end date. Its id is the DAG id and run id; a DAG mapped to
 * several datasets refreshes each, one record per dataset. No KPI logic.
 */
import type { InferInsertModel } from "drizzle-orm";
import type { dataRefreshes } from "@/db/schema";
import type { DagRunPayload } from "./payloads";

export const SOURCE = "airflow";

export type DataRefreshRecord = InferInsertModel<typeof dataRefreshes>;

/** The run's id as inputs.md asks: DAG id + run id. */
export const runId = (run: Pick<DagRunPayload, "dag_id" | "dag_run_id">) => `${run.dag_id}/${run.dag_run_id}`;

/** The refresh of `dataset` a finished run is; null for a run still queued or running (no record yet). */
export function refreshRecord(dataset: string, run: DagRunPayload): DataRefreshRecord | null {
  if ((run.state !== "success" && run.state !== "failed") || !run.end_date) return null;
  return {
    source: SOURCE,
    // Keyed by dataset too: one run refreshes every dataset its DAG is mapped to.
    externalId: `${dataset}:${runId(run)}`,
    raw: run,
    dataset,
    status: run.state === "success" ? "success" : "failure",
    // As Airflow writes them (microseconds): PostgreSQL reads the offset.
    finishedAt: run.end_date,
    startedAt: run.start_date ?? null,
  };
}
