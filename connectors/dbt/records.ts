/**
 * dbt artifacts → Shipshape records (kpis.md, "Reading the sources": dbt; docs/dbt.md). Pure
 * functions: a failing test of a mapped node is a data-quality issue of its dataset, a new
 * max_loaded_at of a mapped source a successful refresh of it.
 */
import type { InferInsertModel } from "drizzle-orm";
import { z } from "zod";
import { toUtc } from "@/connectors/deploy-log/records";
import type { dataQualityIssues, dataRefreshes } from "@/db/schema";
import { DbtArtifactError, type Manifest, type RunResult, type RunResults, type SourcesArtifact } from "./payloads";

/** The record tag of what the dbt source stores. */
export const SOURCE = "dbt";

export type QualityIssueRow = InferInsertModel<typeof dataQualityIssues>;
export type RefreshRow = InferInsertModel<typeof dataRefreshes>;

/** node unique_id → the datasets it is part of (`sources.dbt.datasets` turned around). */
export type DatasetIndex = ReadonlyMap<string, readonly string[]>;

export function datasetIndex(datasets: Record<string, string[]>): DatasetIndex {
  const index = new Map<string, string[]>();
  for (const [dataset, nodes] of Object.entries(datasets)) {
    for (const node of new Set(nodes)) index.set(node, [...(index.get(node) ?? []), dataset]);
  }
  return index;
}

/** What a run_results file needs of a manifest: its invocation, and the node each test tests. */
export interface ManifestIndex {
  file: string;
  invocationId: string | null;
  /** test unique_id → its attached_node, else the first of its depends_on.nodes, else null. */
  testedNode: ReadonlyMap<string, string | null>;
}

export function manifestIndex(file: string, manifest: Manifest): ManifestIndex {
  const testedNode = new Map<string, string | null>();
  for (const node of Object.values(manifest.nodes)) {
    if (node.resource_type !== "test") continue;
    testedNode.set(node.unique_id, node.attached_node ?? node.depends_on?.nodes?.[0] ?? null);
  }
  return { file, invocationId: manifest.metadata.invocation_id ?? null, testedNode };
}

/** Data tests (not unit tests, which test code) that failed or could not run. */
export function failingTests(runResults: RunResults): RunResult[] {
  return runResults.results.filter((result) => result.unique_id.startsWith("test.") && (result.status === "fail" || result.status === "error"));
}

/** The run's key and time: every issue of one invocation carries them. */
export function runOf(runResults: RunResults): { invocation: string; generatedAt: string } {
  const { invocation_id: invocationId, generated_at: generatedAt } = runResults.metadata;
  if (generatedAt === undefined) throw new DbtArtifactError("missing field metadata.generated_at (when the run happened)");
  if (!isTimestamp(generatedAt)) throw new DbtArtifactError(`metadata.generated_at must be an ISO 8601 timestamp with an offset or Z (got ${JSON.stringify(generatedAt)})`);
  // dbt always writes an invocation id; the schema allows null, and then the run's time keys it.
  return { invocation: invocationId ?? `generated_at ${toUtc(generatedAt)}`, generatedAt };
}

/**
 * One data-quality issue per failing test whose tested node is in a dataset (one per dataset when
 * the node is in several), detected when the run's artifact was written. `testedNode` says what a
 * test tests (from the manifest); a test it does not know is the caller's to report.
 */
export function qualityIssueRows(runResults: RunResults, testedNode: (test: string) => string | null, datasets: DatasetIndex): QualityIssueRow[] {
  const { invocation, generatedAt } = runOf(runResults);
  const { dbt_schema_version, dbt_version, invocation_id } = runResults.metadata;
  return failingTests(runResults).flatMap((result) => {
    const node = testedNode(result.unique_id);
    return (node === null ? [] : (datasets.get(node) ?? [])).map((dataset) => ({
      source: SOURCE,
      externalId: `${invocation}:${result.unique_id}#${dataset}`,
      raw: { metadata: { dbt_schema_version, dbt_version, generated_at: generatedAt, invocation_id }, tested_node: node, result },
      dataset,
      detectedAt: generatedAt,
      description: `${result.unique_id} ${result.status === "fail" ? "failed" : "could not run"}${result.message ? `: ${result.message}` : ""}`,
    }));
  });
}

/** A table without a single row: dbt reports datetime.min (`0001-01-01T00:00:00+00:00`), no load happened. */
const NEVER_LOADED = /^0001-01-01/;

/**
 * The refreshes a sources.json file shows: each mapped source's max_loaded_at is a successful
 * refresh of each of its datasets, finishing then. Keyed by source, instant and dataset, so the
 * same max_loaded_at seen by many freshness runs is one refresh.
 */
export function refreshRows(sources: SourcesArtifact, datasets: DatasetIndex): RefreshRow[] {
  const { dbt_schema_version, dbt_version, generated_at, invocation_id } = sources.metadata;
  return sources.results.flatMap((result) => {
    // A runtime error (the freshness query failed) has no max_loaded_at: nothing is known of a load.
    const loadedAt = typeof result.max_loaded_at === "string" ? result.max_loaded_at : undefined;
    if (loadedAt === undefined || NEVER_LOADED.test(loadedAt)) return [];
    if (!isTimestamp(loadedAt)) throw new DbtArtifactError(`${result.unique_id}: max_loaded_at must be an ISO 8601 timestamp with an offset or Z (got ${JSON.stringify(loadedAt)})`);
    return (datasets.get(result.unique_id) ?? []).map((dataset) => ({
      source: SOURCE,
      externalId: `${result.unique_id}@${toUtc(loadedAt)}#${dataset}`,
      raw: { metadata: { dbt_schema_version, dbt_version, generated_at, invocation_id }, result },
      dataset,
      status: "success",
      finishedAt: loadedAt,
    }));
  });
}

const timestamp = z.iso.datetime({ offset: true });
const isTimestamp = (value: string) => timestamp.safeParse(value).success;
