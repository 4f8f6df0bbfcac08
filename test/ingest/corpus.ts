/** Deployment-log lines for the ingest tests: one valid record per type, and files of them. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DeploymentLogType } from "@/db/schema";
import { testDir } from "@/test/support/temp";

export const valid: Record<DeploymentLogType, Record<string, unknown>> = {
  deployment: { type: "deployment", id: "d1", service: "fraud-api", environment: "production", status: "success", finished_at: "2026-03-01T10:00:00Z" },
  incident: { type: "incident", id: "i1", started_at: "2026-03-01T11:00:00+01:00" },
  model_metric: { type: "model_metric", model: "fraud-xgb", metric: "auc", value: 0.91, observed_at: "2026-03-01T10:00:00Z" },
  model_sla: { type: "model_sla", model: "fraud-xgb", objective: "p99_latency_ms", value: 120, limit: 200, observed_at: "2026-03-01T10:00:00Z" },
  data_refresh: { type: "data_refresh", dataset: "transactions", status: "success", finished_at: "2026-03-01T10:00:00Z" },
  data_quality_issue: { type: "data_quality_issue", id: "q1", dataset: "transactions", detected_at: "2026-03-01T10:00:00Z" },
};

/** Required fields per type, as inputs.md lists them. */
export const required: Record<DeploymentLogType, string[]> = {
  deployment: ["id", "service", "environment", "status", "finished_at"],
  incident: ["id", "started_at"],
  model_metric: ["model", "metric", "value", "observed_at"],
  model_sla: ["model", "objective", "value", "limit", "observed_at"],
  data_refresh: ["dataset", "status", "finished_at"],
  data_quality_issue: ["id", "dataset", "detected_at"],
};

export const line = (record: Record<string, unknown>) => JSON.stringify(record);

/** `record` as a JSON line with `field` nested `levels` arrays deep (8,000 levels: 16 KB; JSON.stringify overflows on it). */
export const deepLine = (record: Record<string, unknown>, field = "labels", levels = 8000) =>
  `${line(record).slice(0, -1)},"${field}":${"[".repeat(levels)}"x"${"]".repeat(levels)}}`;

export function without(record: Record<string, unknown>, field: string): Record<string, unknown> {
  const copy = { ...record };
  delete copy[field];
  return copy;
}

/** Writes files into a new temporary directory (gone after the test) and returns their paths by name. */
export function writeFiles(files: Record<string, string | Buffer>): Record<string, string> & { dir: string } {
  const dir = testDir("ingest");
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    paths[name] = join(dir, name);
    writeFileSync(paths[name], content);
  }
  return Object.assign(paths, { dir });
}

/**
 * Records every reader must reject (issue 22), with the reason (null: accepted, at the edge): numbers JSON cannot hold,
 * runs that end before they start. Each reader's tests run them (files, HTTP, the scheduled reader).
 */
export const badRecordLines: [string, string | null][] = [
  [line(valid.model_metric).replace('"value":0.91', '"value":1e400'), "value is out of range: numbers go up to ±1.8e308 (got 1e400)"],
  [line(valid.model_sla).replace('"limit":200', '"limit":-2E+999'), "limit is out of range: numbers go up to ±1.8e308 (got -2E+999)"],
  [line({ ...valid.data_refresh, rows: 5 }).replace('"rows":5', '"rows":1e309'), "rows is out of range: numbers go up to ±1.8e308 (got 1e309)"],
  [line({ ...valid.model_metric, value: 1.7e308 }), null],
  [line({ ...valid.deployment, id: "d-late", started_at: "2026-03-01T10:00:00.001Z" }), "started_at is after finished_at"],
  [line({ ...valid.deployment, id: "d-zone", started_at: "2026-03-01T11:00:01+01:00" }), "started_at is after finished_at"],
  [line({ ...valid.deployment, id: "d-same", started_at: "2026-03-01T11:00:00+01:00" }), null],
  [line({ ...valid.data_refresh, started_at: "2026-03-01T10:30:00Z" }), "started_at is after finished_at"],
];

/** Lines of bytes that are not UTF-8, as a JSON Lines reader must reject them. */
export const notUtf8Lines: [Buffer, string][] = [
  // Latin-1 "café": the é is one byte, 0xE9.
  [Buffer.from(line({ ...valid.incident, title: "caf\u00e9" }), "latin1"), "not valid UTF-8 (0xE9 at byte 83)"],
  // A three-byte character cut after two bytes.
  [Buffer.concat([Buffer.from('{"type":"incident","id":"i1","title":"'), Buffer.from([0xe2, 0x82]), Buffer.from('","started_at":"2026-03-01T10:00:00Z"}')]), "not valid UTF-8 (0xE2 at byte 39)"],
  // An overlong "/" and an encoded surrogate: both forbidden in UTF-8.
  [Buffer.concat([Buffer.from('{"type":"incident","id":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('","started_at":"2026-03-01T10:00:00Z"}')]), "not valid UTF-8 (0xC0 at byte 26)"],
  [Buffer.concat([Buffer.from('{"type":"incident","id":"\uFFFD'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('","started_at":"2026-03-01T10:00:00Z"}')]), "not valid UTF-8 (0xED at byte 29)"],
];
