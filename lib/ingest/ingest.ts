/**
 * Ingest of the deployment log: entries (normalized records and rejected lines) are stored in
 * big batches while the next ones are being read and checked. Records of one key are written
 * in file order, so a later record with the same key wins.
 */
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { readDeployLog, recordTables, type Accepted, type Entry, type Rejection } from "@/connectors/deploy-log";
import { asc, desc, inArray } from "drizzle-orm";
import type { Store } from "@/db/client";
import { RecordRefusedError, writeIsolating, type DatabaseCause } from "@/db/refusals";
import { deploymentLogTypes, ingestRejections, type DeploymentLogType } from "@/db/schema";
import { storable, storableText } from "@/db/storable";
import { upsertRecords, type UpsertCounts } from "@/db/upsert";
import type { Config } from "@/lib/config/load";
import { unknownProjectMessage } from "@/lib/config/projects";
import { refreshShippedCommitsOf } from "@/lib/kpis/entities/shipped-derivation";

/** What the CLI tells apart: a file that cannot be read at all, and the record types it reports on. */
export { DeployLogFileError } from "@/connectors/deploy-log";
export { deploymentLogTypes };

export interface TypeCounts extends UpsertCounts {
  rejected: number;
}

export interface IngestResult {
  types: Record<DeploymentLogType, TypeCounts>;
  /** Valid records: inserted, updated or unchanged. */
  accepted: number;
  /** Rejected lines, also those of no known type. */
  rejected: number;
}

export interface IngestOptions {
  /** Called for each rejected line as it is found (the CLI prints it). */
  onRejected?: (rejection: Rejection) => void;
  /**
   * The configuration the records are for: an incident naming a `project` that is not one of
   * its projects is rejected (a misspelt slug would otherwise count for no project, silently).
   */
  config?: Pick<Config, "projects">;
}

/**
 * Batches of 2000 rows: per row, bigger ones were no faster here but raised peak memory (5000:
 * +70 MB, docs/benchmarks.md). The byte bound keeps memory flat for long lines.
 */
const BATCH_ROWS = 2000;
const BATCH_BYTES = 16 * 1024 * 1024;
const REJECTION_BATCH_ROWS = 1000;
/** Writes in flight at once, each on its own connection (PGlite runs them one after another). */
const WRITERS = 2;

/**
 * Ingests one file; the origin of its rejections is its absolute path. With the configuration,
 * the projects' derived tables are refreshed after it (a sync refreshes once, after its run).
 */
export async function ingestFile(store: Store, path: string, options: IngestOptions = {}): Promise<IngestResult> {
  const result = await ingestEntries(store, resolve(path), await readDeployLog(path), options);
  if (options.config) await refreshShippedCommitsOf(store, options.config);
  return result;
}

export async function ingestEntries(
  store: Store,
  origin: string,
  entries: AsyncIterable<Entry> | Iterable<Entry>,
  options: IngestOptions = {},
): Promise<IngestResult> {
  const result = emptyResult();
  const writers = Array.from({ length: WRITERS }, serialWriter);
  const batches = new Map<string, Batch>();
  let rejections: Rejection[] = [];
  let rejectionBytes = 0;
  const refused: { entry: Accepted; refusal: DatabaseCause }[] = [];

  const reject = (rejection: Rejection) => {
    options.onRejected?.(rejection);
    if (rejection.type) result.types[rejection.type].rejected += 1;
    result.rejected += 1;
    rejections.push(rejection);
    rejectionBytes += rejection.raw.length;
  };
  const flushRejections = async () => {
    if (rejections.length === 0) return;
    const batch = rejections;
    rejections = [];
    rejectionBytes = 0;
    await writers[0]!.write(() => storeRejections(store, origin, batch));
  };
  const flush = async (key: string) => {
    const batch = batches.get(key);
    if (!batch) return;
    batches.delete(key);
    const { type } = batch;
    await writers[batch.writer]!.write(async () => {
      const counts = await upsertIsolating(store, type, batch.entries, (entry, refusal) => {
        result.accepted -= 1;
        // A data exception is the line's fault: rejected and kept. Other refusals (a constraint, a trigger) stop the ingest below.
        if (refusal.code.startsWith("22")) reject({ line: entry.line, raw: entry.text, reason: `the database cannot store this record (${refusal.message})`, type });
        else refused.push({ entry, refusal });
      });
      const total = result.types[type];
      total.inserted += counts.inserted;
      total.updated += counts.updated;
      total.unchanged += counts.unchanged;
    });
  };
  const drain = () => Promise.all(writers.map((writer) => writer.drain()));

  for await (const read of entries) {
    const entry = options.config ? inConfiguredProject(read, options.config) : read;
    if (entry.ok) {
      const writer = writerOf(entry.row.externalId);
      const key = `${entry.type}/${writer}`;
      const batch = batches.get(key) ?? { type: entry.type, writer, entries: [], bytes: 0 };
      batches.set(key, batch);
      batch.entries.push(entry);
      batch.bytes += entry.text.length;
      result.accepted += 1;
      if (batch.entries.length >= BATCH_ROWS || batch.bytes >= BATCH_BYTES) await flush(key);
    } else {
      reject(entry);
      if (rejections.length >= REJECTION_BATCH_ROWS || rejectionBytes >= BATCH_BYTES) await flushRejections();
    }
  }
  for (const key of [...batches.keys()]) await flush(key);
  await drain();
  // Records the database refused became rejections during the writes above.
  await flushRejections();
  await drain();
  const [first] = refused;
  if (first) throw new IngestRefusedError(`line ${first.entry.line} (a ${first.entry.type} record)${refused.length > 1 ? ` and ${refused.length - 1} more` : ""}`, first.refusal, result);
  return result;
}

/** The database refused records on other grounds than their values: the rest is stored (`result`), and the ingest failed. */
export class IngestRefusedError extends RecordRefusedError {
  constructor(
    record: string,
    refusal: DatabaseCause,
    readonly result: IngestResult,
  ) {
    super(record, refusal);
  }
}

/** The entry, or its rejection when it is an incident naming a project the configuration does not have. */
function inConfiguredProject(entry: Entry, config: Pick<Config, "projects">): Entry {
  if (!entry.ok || entry.type !== "incident" || !entry.row.project) return entry;
  const slug = entry.row.project;
  if (config.projects.some((project) => project.slug === slug)) return entry;
  return { ok: false, line: entry.line, raw: entry.text, reason: unknownProjectMessage(config, slug), type: entry.type };
}

interface Batch {
  type: DeploymentLogType;
  writer: number;
  entries: Accepted[];
  bytes: number;
}

/**
 * The writer of a key: always the same one, so two records with one key are written in file
 * order, while records of different keys are written by two connections at once (the upsert
 * is bound by the database's work per row, and one connection keeps one core busy).
 */
function writerOf(externalId: string): number {
  // The key as stored: ids that differ only by a character the database drops are one key.
  const key = storableText(externalId);
  let hash = 0;
  for (let index = 0; index < key.length; index++) hash = (hash * 31 + key.charCodeAt(index)) | 0;
  return (hash >>> 0) % WRITERS;
}

/**
 * Upserts a batch. A value valid to the schema may still be one the database refuses (year
 * 0000, a constraint, a trigger; text it cannot hold is made storable before, in db/storable.ts):
 * then only the refused records are found, handed to `refuse`, and the others stored. Any other
 * failure (the database is down) is not the records' fault and is thrown.
 */
function upsertIsolating(store: Store, type: DeploymentLogType, entries: Accepted[], refuse: (entry: Accepted, refusal: DatabaseCause) => void): Promise<UpsertCounts> {
  return writeIsolating(entries, (batch) => upsertRecords(store, recordTables[type], batch.map((entry) => entry.row) as never[]), refuse);
}

/** Stored rejected lines, newest first; `origin` is a file path (as given or absolute) or `http`. */
export async function listRejections(store: Store, { origin, limit }: { origin?: string; limit: number }) {
  const origins = origin ? [...new Set([origin, resolve(origin)])] : undefined;
  return store.db
    .select({ origin: ingestRejections.origin, line: ingestRejections.line, reason: ingestRejections.reason, raw: ingestRejections.raw, rejectedAt: ingestRejections.rejectedAt })
    .from(ingestRejections)
    .where(origins ? inArray(ingestRejections.origin, origins) : undefined)
    .orderBy(desc(ingestRejections.rejectedAt), asc(ingestRejections.origin), asc(ingestRejections.line))
    .limit(limit);
}

/** The same bad line ingested again is kept once (unique origin, line, raw hash). */
async function storeRejections(store: Store, origin: string, rejections: Rejection[]): Promise<void> {
  // The kept line loses what the database cannot store (db/storable.ts); its hash is of what is kept.
  const rows = storable(rejections.map(({ line, raw, reason }) => ({ origin, line, raw, reason }))).map((row) => ({ ...row, rawHash: sha256(row.raw) }));
  await store.db.insert(ingestRejections).values(rows).onConflictDoNothing();
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Runs writes one after another while the caller goes on reading: `write` waits for the
 * previous write only, so reading overlaps at most one write in flight.
 */
function serialWriter() {
  let inFlight: Promise<void> = Promise.resolve();
  return {
    async write(action: () => Promise<void>) {
      await inFlight;
      inFlight = action();
      // Marked handled here; the failure surfaces at the next write or at drain().
      inFlight.catch(() => {});
    },
    drain: () => inFlight,
  };
}

function emptyResult(): IngestResult {
  const types = Object.fromEntries(
    deploymentLogTypes.map((type) => [type, { inserted: 0, updated: 0, unchanged: 0, rejected: 0 }]),
  ) as Record<DeploymentLogType, TypeCounts>;
  return { types, accepted: 0, rejected: 0 };
}
