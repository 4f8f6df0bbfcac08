/**
 * The Airflow DAGs the tests sync, and running the sync against them (January 2026, UTC).
 *
 * - load_transactions (→ transactions): scheduled runs every 6 hours from Jan 1, 00:00; five
 *   finished (the third failed), then one running and one queued.
 * - ingest_chargebacks (→ chargebacks): two successful runs.
 * - build_marts (→ transactions and chargebacks): one successful run.
 *
 * The server caps `limit` at 3, so load_transactions' five finished runs take two pages.
 */
import { sql } from "drizzle-orm";
import type { Store } from "@/db/client";
import { airflowSource } from "@/connectors/airflow/source";
import { parseConfig, type Config } from "@/lib/config/load";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import type { FakeAirflow, FakeRun } from "./fake-airflow";

/** A scheduled run of `logical` (ISO, UTC) that started a minute later and ended at `end`. */
export function scheduled(logical: string, state: FakeRun["state"], end: string | null): FakeRun {
  const logicalDate = `${logical}+00:00`;
  return { dagRunId: `scheduled__${logicalDate}`, state, logicalDate, startDate: shift(logical, 60_000), endDate: end && `${end}+00:00` };
}

const shift = (iso: string, ms: number) => `${new Date(Date.parse(`${iso}Z`) + ms).toISOString().slice(0, -1)}000+00:00`;

export function seedDags(fake: FakeAirflow) {
  fake.maximumPageLimit = 3;
  fake.addRun("load_transactions", scheduled("2026-01-01T00:00:00", "success", "2026-01-01T00:20:00.123456"));
  fake.addRun("load_transactions", scheduled("2026-01-01T06:00:00", "success", "2026-01-01T06:25:00.000000"));
  fake.addRun("load_transactions", scheduled("2026-01-01T12:00:00", "failed", "2026-01-01T12:40:00.000000"));
  fake.addRun("load_transactions", scheduled("2026-01-01T18:00:00", "success", "2026-01-01T18:15:00.000000"));
  fake.addRun("load_transactions", scheduled("2026-01-02T00:00:00", "success", "2026-01-02T00:30:00.000000"));
  fake.addRun("load_transactions", scheduled("2026-01-02T06:00:00", "running", null));
  fake.addRun("load_transactions", { dagRunId: "manual__2026-01-02T07:00:00+00:00", state: "queued", logicalDate: "2026-01-02T07:00:00+00:00", startDate: null, endDate: null, runType: "manual" });
  fake.addRun("ingest_chargebacks", scheduled("2026-01-01T02:00:00", "success", "2026-01-01T03:00:00.000000"));
  fake.addRun("ingest_chargebacks", scheduled("2026-01-02T02:00:00", "success", "2026-01-02T03:00:00.000000"));
  fake.addRun("build_marts", scheduled("2026-01-01T22:00:00", "success", "2026-01-01T23:00:00.000000"));
}

export function airflowConfigYaml(fake: FakeAirflow, extra = "", auth = `username: shipshape\n    password: airflow-secret`) {
  return `timezone: UTC
projects:
  - slug: payments
    name: Payments
    datasets: [transactions, chargebacks]
sources:
  airflow:
    base_url: ${fake.url}
    api_version: ${fake.version}
    ${auth}
    datasets: { transactions: [load_transactions, build_marts], chargebacks: [ingest_chargebacks, build_marts] }
${extra}`;
}

export function airflowConfig(fake: FakeAirflow, extra = "", auth?: string): Config {
  return parseConfig(airflowConfigYaml(fake, extra, auth), "shipshape.yaml", {});
}

/** One sync run with backoff shortened to milliseconds. */
export async function syncAirflow(store: Store, config: Config) {
  const lines: string[] = [];
  const result = await runSync("airflow", sourceSync("airflow", airflowSource({ backoffMs: 5, retries: 1 })), { config, store, trigger: "manual", log: (line) => lines.push(line) });
  return { ...result, lines };
}

/** The stored refreshes as "dataset status finished id" lines. */
export async function refreshLines(store: Store): Promise<string[]> {
  const rows = await store.rows<{ line: string }>(
    sql`SELECT dataset || ' ' || status || ' ' || to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || ' ' || external_id AS line FROM data_refreshes WHERE source = 'airflow' ORDER BY finished_at, dataset, external_id`,
  );
  return rows.map((row) => row.line);
}

/** Everything the connector stores, without the database's ids and write times. */
export async function storedAirflow(store: Store) {
  return {
    refreshes: await store.rows(sql.raw(`SELECT external_id, dataset, status, finished_at::text, started_at::text, rows, raw::text FROM data_refreshes WHERE source = 'airflow' ORDER BY external_id`)),
    // jsonb's text form is PostgreSQL's own spacing: the cursors are compared as values.
    states: (await store.rows<{ stream: string; cursor: string }>(sql.raw(`SELECT stream, cursor::text FROM stream_states WHERE source = 'airflow' ORDER BY stream`))).map(
      (row) => ({ stream: row.stream, cursor: JSON.parse(row.cursor) as unknown }),
    ),
  };
}
