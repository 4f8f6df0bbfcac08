/**
 * Migration 0003 on a database that holds duplicates under the old keys of records without an
 * id (which held the value, and for data refreshes the status): each observation is folded to
 * its newest row, under the key the ingest now writes, so a corrected value sent again
 * replaces it. On both drivers, from a database migrated only up to the one before.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRecord, type Accepted } from "@/connectors/deploy-log";
import type { Store } from "@/db/client";
import { migrate, migrationsFolder } from "@/db/migrate";
import { ingestEntries } from "@/lib/ingest/ingest";
import { drivers, freshStore } from "@/test/support/db";

const FOLD = "0003_incident_project_and_value_less_keys";

/** A copy of the migrations folder that ends before `tag`. */
function migrationsBefore(tag: string): { folder: string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), "shipshape-migrations-"));
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { idx: number; tag: string }[] };
  const stop = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(stop).toBeGreaterThan(0);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, stop) }));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/** How the ingest keyed these records before: a JSON array of the required fields, value included. */
const oldKey = (...fields: unknown[]) => JSON.stringify(fields);
const at = "2026-03-01T10:00:00.000Z";
const odd = 'fraud "xgb"\\v2 — ünïcode';

for (const driver of drivers) {
  describe(`migration ${FOLD} [${driver}]`, () => {
    let current: { store: Store; drop: () => Promise<void> };
    let before: { folder: string; remove: () => void };
    beforeAll(async () => {
      before = migrationsBefore(FOLD);
      current = await freshStore(driver, { migrated: false });
      await migrate(current.store, before.folder);
    }, 60_000);
    afterAll(async () => {
      await current?.drop();
      before?.remove();
    });

    it("folds each observation's rows to its newest, under the key the ingest writes now", async () => {
      const store = current.store;
      await store.db.execute(sql`
        INSERT INTO model_metrics (source, external_id, raw, model, metric, value, observed_at, environment, stored_at) VALUES
          ('deploy_log', ${oldKey("fraud-xgb", "auc", 0.91, at)}, '{}', 'fraud-xgb', 'auc', 0.91, ${at}, 'production', '2026-03-02T10:00:00Z'),
          ('deploy_log', ${oldKey("fraud-xgb", "auc", 0.92, at)}, '{}', 'fraud-xgb', 'auc', 0.92, ${at}, 'production', '2026-03-03T10:00:00Z'),
          ('deploy_log', ${oldKey("fraud-xgb", "auc", 0.9, at)}, '{}', 'fraud-xgb', 'auc', 0.9, ${at}, 'production', '2026-03-01T10:00:00Z'),
          ('deploy_log', ${oldKey("fraud-xgb", "auc", 0.5, at)}, '{}', 'fraud-xgb', 'auc', 0.5, ${at}, 'staging', '2026-03-01T10:00:00Z'),
          ('deploy_log', ${oldKey(odd, "auc", 1, at)}, '{}', ${odd}, 'auc', 1, ${at}, 'production', '2026-03-01T10:00:00Z'),
          ('mlflow', 'run-7:auc', '{}', 'fraud-xgb', 'auc', 0.8, ${at}, 'production', '2026-03-01T10:00:00Z'),
          ('deploy_log', ${`[demo|auc|0.7|${at}`}, '{}', 'fraud-xgb', 'auc', 0.7, ${at}, 'production', '2026-03-01T10:00:00Z')`);
      await store.db.execute(sql`
        INSERT INTO model_sla_observations (source, external_id, raw, model, objective, value, "limit", observed_at, stored_at) VALUES
          ('deploy_log', ${oldKey("fraud-xgb", "p99_ms", 120, 200, at)}, '{}', 'fraud-xgb', 'p99_ms', 120, 200, ${at}, '2026-03-02T10:00:00Z'),
          ('deploy_log', ${oldKey("fraud-xgb", "p99_ms", 250, 200, at)}, '{}', 'fraud-xgb', 'p99_ms', 250, 200, ${at}, '2026-03-02T10:00:00Z')`);
      await store.db.execute(sql`
        INSERT INTO data_refreshes (source, external_id, raw, dataset, status, finished_at, stored_at) VALUES
          ('deploy_log', ${oldKey("transactions", "failure", at)}, '{}', 'transactions', 'failure', ${at}, '2026-03-01T10:00:00Z'),
          ('deploy_log', ${oldKey("transactions", "success", at)}, '{"id": ""}', 'transactions', 'success', ${at}, '2026-03-02T10:00:00Z'),
          ('deploy_log', 'airflow-run-9', '{"id": "airflow-run-9"}', 'transactions', 'success', ${at}, '2026-03-01T10:00:00Z'),
          ('deploy_log', 'not json, an id', '{"id": "not json, an id"}', 'transactions', 'failure', ${at}, '2026-03-01T10:00:00Z')`);

      await migrate(store);

      expect(await store.rows(sql`SELECT source, external_id, value FROM model_metrics ORDER BY value`)).toEqual([
        { source: "deploy_log", external_id: JSON.stringify(["fraud-xgb", "auc", "staging", at]), value: 0.5 },
        // A key of another form (the demo's) is left alone.
        { source: "deploy_log", external_id: `[demo|auc|0.7|${at}`, value: 0.7 },
        { source: "mlflow", external_id: "run-7:auc", value: 0.8 },
        { source: "deploy_log", external_id: JSON.stringify(["fraud-xgb", "auc", "production", at]), value: 0.92 },
        { source: "deploy_log", external_id: JSON.stringify([odd, "auc", "production", at]), value: 1 },
      ]);
      // Equal stored_at: the later row (higher id) is the newer.
      expect(await store.rows(sql`SELECT external_id, value FROM model_sla_observations`)).toEqual([
        { external_id: JSON.stringify(["fraud-xgb", "p99_ms", at]), value: 250 },
      ]);
      expect(await store.rows(sql`SELECT external_id, status FROM data_refreshes ORDER BY id`)).toEqual([
        { external_id: JSON.stringify(["transactions", at]), status: "success" },
        { external_id: "airflow-run-9", status: "success" },
        { external_id: "not json, an id", status: "failure" },
      ]);

      // The keys are the ingest's own: corrected values sent again update the folded rows.
      const records = [
        { type: "model_metric", model: "fraud-xgb", metric: "auc", value: 0.93, observed_at: "2026-03-01T11:00:00+01:00" },
        { type: "model_metric", model: odd, metric: "auc", value: 0.99, observed_at: at },
        { type: "model_sla", model: "fraud-xgb", objective: "p99_ms", value: 130, limit: 200, observed_at: at },
        { type: "data_refresh", dataset: "transactions", status: "success", finished_at: at, rows: 5 },
      ];
      const entries = records.map((record, index) => checkRecord(index + 1, JSON.stringify(record), record) as Accepted);
      expect(entries.every((entry) => entry.ok)).toBe(true);
      const result = await ingestEntries(store, "test", entries);
      expect(result.types).toMatchObject({
        model_metric: { inserted: 0, updated: 2 },
        model_sla: { inserted: 0, updated: 1 },
        data_refresh: { inserted: 0, updated: 1 },
      });
    });
  });
}
