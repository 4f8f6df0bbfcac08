/**
 * The Airflow connector's one stream, read for each DAG the `datasets` mapping names
 * (docs/airflow.md): its finished runs, oldest end date first, from the newest end date stored
 * (minus an overlap) on. Every stored page checkpoints the cursor, so a killed run resumes
 * after the last stored page. A run still queued or running has no end date, so no listing by
 * end date returns it: it is read again by the first sync after it finishes, and a run cleared
 * and re-run comes back with its new end date and state and updates the same record.
 */
import { z } from "zod";
import { UNCHANGED, upsert, type Stream } from "@/connectors/stream";
import { dataRefreshes } from "@/db/schema";
import type { AirflowClient } from "./client";
import { refreshRecord, type DataRefreshRecord } from "./records";

/** What the connector reads of `sources.airflow`. */
export interface AirflowSettings {
  base_url: string;
  api_version: 1 | 2;
  username?: string;
  password?: string;
  token?: string;
  datasets: Record<string, string[]>;
  since?: string;
}

/** What every stream of a run shares. */
export interface AirflowSession {
  client: AirflowClient;
  /** DAG id → the datasets its runs refresh. */
  datasetsOf: Map<string, string[]>;
  /** `since` as an instant: the first sync reads runs that ended from then on. */
  since: string | null;
}

/**
 * Re-read this much before the cursor: several schedulers stamp end dates with their own
 * clocks, so a run can finish with an end date a little before one already stored. Re-read
 * runs are unchanged upserts.
 */
export const OVERLAP_MINUTES = 10;

/** The newest end date stored from the stream, as Airflow wrote it. */
const endCursor = z.object({ end_date: z.iso.datetime({ offset: true }) });

export const runsStream: Stream<string, AirflowSession, z.infer<typeof endCursor>> = {
  name: "runs",
  cursor: endCursor,
  async read({ partition: dag, session, state, emit }) {
    const cursor = state?.cursor;
    const from = cursor ? new Date(Date.parse(cursor.end_date) - OVERLAP_MINUTES * 60_000).toISOString() : session.since;
    const datasets = session.datasetsOf.get(dag) ?? [];
    let newest = cursor?.end_date ?? null;
    for await (const page of session.client.finishedRuns(dag, from)) {
      const records: DataRefreshRecord[] = [];
      for (const run of page) {
        for (const dataset of datasets) {
          const record = refreshRecord(dataset, run);
          if (record) records.push(record);
        }
        if (run.end_date && (newest === null || Date.parse(run.end_date) > Date.parse(newest))) newest = run.end_date;
      }
      // Oldest end first: every run that ended before `newest` is stored once this page is.
      await emit([upsert(dataRefreshes, records, { key: `${dag}:data_refreshes`, changedOnly: true })], newest ? { cursor: { end_date: newest }, etag: null } : undefined);
    }
    return UNCHANGED;
  },
};
