/**
 * The one stream of a dbt artifact file (docs/dbt.md). A file is read once per content: its
 * cursor is the file's identity, size and modification time, and a sha256 of what was read.
 * Unchanged identity, size and time cost a stat; a file rewritten with the same bytes costs a
 * read and a hash, and stores nothing. Whatever a changed file holds is stored in one batch, and
 * only then is its cursor saved, so a run killed mid-way reads the file again (the writes are
 * idempotent).
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { UNCHANGED, upsert, type Stream, type StreamRun, type StreamState } from "@/connectors/stream";
import { dataQualityIssues, dataRefreshes } from "@/db/schema";
import {
  DbtArtifactError,
  describeIssues,
  manifestSchemas,
  runResultsSchemas,
  schemaVersionOf,
  sourcesSchemas,
  type RunResult,
  type RunResults,
} from "./payloads";
import { failingTests, manifestIndex, qualityIssueRows, refreshRows, runOf, SOURCE, type DatasetIndex, type ManifestIndex, type RefreshRow } from "./records";

const artifactCursor = z.object({
  /** `dev:ino` of the file read. */
  identity: z.string(),
  size: z.number().int().nonnegative(),
  /** Modification time in nanoseconds. */
  mtime: z.string(),
  /** sha256 of the bytes read. */
  sha256: z.string(),
});
type ArtifactCursor = z.infer<typeof artifactCursor>;

/** What the files of one run cost; the benchmark reads it. */
export class ReadStats {
  filesStatted = 0;
  filesRead = 0;
  bytesHashed = 0;
}

/** What the dbt source opens for a run. */
export interface DbtSession {
  datasets: DatasetIndex;
  /** Every file the globs match in this run: a run_results file's manifest must be one of them. */
  files: ReadonlySet<string>;
  /** Manifests parsed in this run, by path, so a manifest is parsed once however many run results need it. */
  manifests: Map<string, Promise<ManifestIndex>>;
  stats: ReadStats;
}

export const artifactStream: Stream<string, DbtSession, ArtifactCursor> = {
  name: "artifact",
  cursor: artifactCursor,
  async read(run) {
    const { partition: file, state, session } = run;
    const found = await stat(file, { bigint: true });
    session.stats.filesStatted++;
    if (!found.isFile()) throw new DbtArtifactError("is not a file");
    const seen = { identity: `${found.dev}:${found.ino}`, size: Number(found.size), mtime: String(found.mtimeNs) };
    const saved = state?.cursor;
    if (saved && saved.identity === seen.identity && saved.size === seen.size && saved.mtime === seen.mtime) return UNCHANGED;
    const bytes = await readFile(file);
    session.stats.filesRead++;
    session.stats.bytesHashed += bytes.length;
    const next: StreamState<ArtifactCursor> = { cursor: { ...seen, sha256: createHash("sha256").update(bytes).digest("hex") }, etag: null };
    if (saved?.sha256 === next.cursor!.sha256) return next;
    await readArtifact(run, parseJson(bytes));
    return next;
  },
};

async function readArtifact(run: StreamRun<string, DbtSession, ArtifactCursor>, document: unknown): Promise<void> {
  const { partition: file, session, emit, log } = run;
  const version = schemaVersionOf(document);
  switch (version.kind) {
    case "unread":
      log(`${file}: a dbt ${version.name} artifact holds nothing Shipshape counts: skipped`);
      return;
    case "manifest": {
      const manifest = validated(manifestSchemas[version.version as keyof typeof manifestSchemas], document);
      session.manifests.set(file, Promise.resolve(manifestIndex(file, manifest)));
      return;
    }
    case "run-results": {
      const runResults = validated(runResultsSchemas[version.version as keyof typeof runResultsSchemas], document);
      const failing = failingTests(runResults);
      if (failing.length === 0) return;
      const tested = await testedNodes(run, runResults, failing);
      // Counted when new or changed: a copy of an artifact already read adds nothing.
      await emit([upsert(dataQualityIssues, qualityIssueRows(runResults, tested, session.datasets), { key: file, changedOnly: true })]);
      return;
    }
    case "sources": {
      const sources = validated(sourcesSchemas[version.version as keyof typeof sourcesSchemas], document);
      const rows = await onlyNew(run, refreshRows(sources, session.datasets));
      await emit([upsert(dataRefreshes, rows, { key: file })]);
      return;
    }
  }
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8").replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new DbtArtifactError(`not JSON (${(error as Error).message})`);
  }
}

function validated<T>(schema: z.ZodType<T>, document: unknown): T {
  const result = schema.safeParse(document);
  if (!result.success) throw new DbtArtifactError(describeIssues(result.error, document));
  return result.data;
}

/**
 * What each failing test tests, from the manifest beside the run results (docs/dbt.md, "Run
 * results and their manifest"). The manifest of the same invocation is exact; one of another
 * invocation (dbt rewrites manifest.json on every parse, `dbt source freshness` too) is used for
 * the tests it has, since a test's unique_id carries a hash of its definition. Tests it lacks, or
 * no manifest at all, fail the file: its state stays, and the next run reads it again.
 */
async function testedNodes(run: StreamRun<string, DbtSession, ArtifactCursor>, runResults: RunResults, failing: RunResult[]): Promise<(test: string) => string | null> {
  const { partition: file, session, log } = run;
  const path = join(dirname(file), "manifest.json");
  const tests = `${failing.length} failing test${failing.length > 1 ? "s" : ""}`;
  if (!session.files.has(path)) throw new DbtArtifactError(`${tests} need the manifest.json beside it to know what they test, and ${path} is not among the files the paths match`);
  const manifest = await manifestAt(run, path);
  const { invocation } = runOf(runResults);
  const sameRun = manifest.invocationId === runResults.metadata.invocation_id;
  const unknown = failing.map((test) => test.unique_id).filter((test) => !manifest.testedNode.has(test));
  if (unknown.length > 0) {
    const which = sameRun ? "the manifest of this run" : `invocation ${manifest.invocationId ?? "unknown"}; this run is ${invocation}`;
    throw new DbtArtifactError(`${unknown.length} of its ${tests} are not in ${path} (${which}): ${listed(unknown)}; it is read again when a manifest that has them is there`);
  }
  if (!sameRun) log(`${file}: tests mapped with ${path} of invocation ${manifest.invocationId ?? "unknown"} (this run is ${invocation})`);
  return (test) => manifest.testedNode.get(test) ?? null;
}

/** The manifest at `path`, parsed once a run; an unreadable one fails the run results that need it. */
function manifestAt({ session }: StreamRun<string, DbtSession, ArtifactCursor>, path: string): Promise<ManifestIndex> {
  let manifest = session.manifests.get(path);
  if (!manifest) {
    manifest = (async () => {
      const bytes = await readFile(path);
      session.stats.filesRead++;
      const document = parseJson(bytes);
      const version = schemaVersionOf(document);
      if (version.kind !== "manifest") throw new DbtArtifactError(`is a ${version.kind === "unread" ? version.name : version.kind} artifact, not a manifest`);
      return manifestIndex(path, validated(manifestSchemas[version.version as keyof typeof manifestSchemas], document));
    })();
    session.manifests.set(path, manifest);
  }
  return manifest.catch((error: unknown) => {
    throw new DbtArtifactError(`its manifest ${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  });
}

/** Refreshes not stored yet: a max_loaded_at that many freshness runs saw keeps the payload of the first. */
async function onlyNew({ stored }: StreamRun<string, DbtSession, ArtifactCursor>, rows: RefreshRow[]): Promise<RefreshRow[]> {
  const known = new Set<string>();
  for (let start = 0; start < rows.length; start += 1000) {
    const ids = rows.slice(start, start + 1000).map((row) => row.externalId);
    const found = await stored.db.select({ id: dataRefreshes.externalId }).from(dataRefreshes).where(and(eq(dataRefreshes.source, SOURCE), inArray(dataRefreshes.externalId, ids)));
    for (const { id } of found) known.add(id);
  }
  return rows.filter((row) => !known.has(row.externalId));
}

function listed(ids: string[]): string {
  return ids.length > 3 ? `${ids.slice(0, 3).join(", ")} and ${ids.length - 3} more` : ids.join(", ");
}
