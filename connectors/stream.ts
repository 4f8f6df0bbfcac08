/**
 * The stream contract every source is written on (Airbyte CDK's `Stream`, docs/architecture.md
 * "Sources"). A source is a list of partitions (a repo, a Jira project key, a file) and, for
 * each partition, the same streams in order. A stream reads from its saved state, emits
 * batches of writes, and returns its next state; `lib/sync/` runs the streams, stores what
 * they emit, and saves a state only after the records emitted before it are stored — so a run
 * that is killed resumes from the last stored batch, and one that fails keeps the old state.
 *
 * Connectors never write to the database themselves: a batch describes its writes (upserts,
 * a set replaced whole, deletions, a flag over stored rows, deployment-log entries) and the
 * runner applies them. They may read stored records (a reconcile scan compares the source with
 * what is stored), and enrichers run over stored records after a partition's streams.
 */
import type { InferInsertModel, InferSelectModel } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { z } from "zod";
import type { Entry } from "@/connectors/deploy-log/records";
import type { Store } from "@/db/client";

/** What a stream keeps between runs (a row of stream_states). */
export interface StreamState<C = unknown> {
  /** Where the next read starts; null when there is nothing to start from (an empty repo). */
  cursor: C | null;
  /** The ETag of the stream's first request, for a conditional re-read (GitHub). */
  etag: string | null;
}

/** A read that found nothing changed (a 304 Not Modified): the saved state stays as it was. */
export const UNCHANGED: unique symbol = Symbol("unchanged");

/**
 * One stream of a source. `cursor` is the schema of its saved cursor: a saved state whose
 * cursor no longer fits (an older shape) is no state, and the stream reads from scratch —
 * safe, since writes are idempotent. A stream without `cursor` keeps no state (Jira's
 * reconcile scan) and its `read` returns nothing.
 */
export interface Stream<P, S, C = unknown> {
  /** Unique within the source; the state is saved as `<partition key>:<name>`. */
  name: string;
  cursor?: z.ZodType<C>;
  read(run: StreamRun<P, S, C>): Promise<StreamState<C> | typeof UNCHANGED | void>;
}

export interface StreamRun<P, S, C> {
  partition: P;
  /** What the source opened for this run: its client and settings. */
  session: S;
  /** The state the last run saved; null on a first read. */
  state: StreamState<C> | null;
  /**
   * Stores `writes` and, once they are stored, saves `checkpoint` as the stream's state: a run
   * killed later resumes from there. A stream that reads oldest first checkpoints every page;
   * one that reads newest first cannot, and only returns its state at the end.
   */
  emit(writes: Write[], checkpoint?: StreamState<C>): Promise<void>;
  /**
   * The cursor an earlier stream of this partition holds after this run (its new one, or the
   * kept one when it was unchanged): how a stream uses another's output — GitHub's pull
   * requests need the repository stream's default branch. Streams are matched by name, so a
   * stream that wraps another (GitHub's REST or GraphQL read of the same stream) stands for it.
   * Throws when that stream has none.
   */
  upstream<U>(stream: Stream<P, S, U>): U;
  /** Stored records, to compare with the source (read only: writes go through `emit`). */
  stored: Pick<Store, "db" | "rows">;
  log(line: string): void;
}

/** Counts every HTTP request a source's clients send, retries and 304s included. */
export class RequestCounter {
  count = 0;
  readonly add = () => {
    this.count++;
  };
}

/** What a source is handed for one run, besides its partitions. */
export interface SourceSetup<Settings, Project> {
  /** The source's block under `sources:` in the configuration. */
  settings: Settings;
  projects: Project[];
  /** The configuration file, when there is one (relative paths are relative to it). */
  configPath: string | null;
  requests: RequestCounter;
  log(line: string): void;
}

/** A failure of a source's own (a request, a payload), as one line for the run's error. */
export interface SourceFailure {
  message: string;
  /** Nothing else can work either (refused credentials): the whole source stops, the run fails. */
  stopsSource?: boolean;
}

/**
 * A source: what the scheduler, the CLI, the status and the sources page know of it, and how
 * its partitions are read. `Settings` and `Project` are what the connector reads of the
 * configuration (lib/config's types fit them).
 */
export interface Source<P, S, Settings, Project = unknown> {
  /** How pages name it: "GitHub". */
  title: string;
  /**
   * The `source` column of the records it stores. Not always its name: the `deploy_logs`
   * source stores `deploy_log` records, the tag `shipshape ingest` and POST /api/ingest give
   * the same records, so one record sent twice is one row.
   */
  records: string;
  /** Where it reads from, without credentials (the sources page). */
  origin(settings: Settings): string;
  /** Opens the run's session (clients); throwing here fails the run. */
  open(setup: SourceSetup<Settings, Project>): Promise<S>;
  /** This run's partitions, in the order they are read. */
  partitions(setup: SourceSetup<Settings, Project>, session: S): Promise<P[]>;
  /** The partition's name in states, counts and error lines, and for `only` (a webhook's repo). */
  key(partition: P): string;
  // Streams of any cursor type: each stream's own type checks its reads, the runner stores them alike.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  streams: readonly Stream<P, S, any>[];
  /**
   * After a partition's streams, whatever they stored (also when one failed): the enrichers,
   * steps that derive facts from the partition's stored records.
   */
  afterPartition?(store: Store, partition: P, session: S): Promise<void>;
  /** One line for an error its streams threw (storage failures are the runner's to describe). */
  describeFailure(error: unknown): SourceFailure;
  /** What is left of the source's rate limit, as the last answer said ("4,812 points left"), for the progress line. */
  budget?(session: S): string | null;
}

// ---- writes ------------------------------------------------------------------------------

/**
 * Conditions on a table's columns, by property name: a value (equal), `{ in: [...] }`, or
 * `{ atLeast: v }` (greater than or equal).
 */
export type Where<T extends PgTable> = {
  [K in keyof InferSelectModel<T>]?: InferSelectModel<T>[K] | { in: InferSelectModel<T>[K][] } | { atLeast: InferSelectModel<T>[K] };
};

/** Where a write's rows are counted in the run's records, e.g. "acme/api:pulls". */
export interface Count {
  key: string;
  /** Count only the rows inserted or changed, not those stored already as they are. */
  changedOnly?: boolean;
}

type Row = Record<string, unknown>;

/** One write of a batch; build them with the functions below. */
export type Write =
  | { kind: "upsert"; table: PgTable; rows: Row[]; count?: Count }
  | { kind: "replace"; table: PgTable; where: Row; key: string[]; rows: Row[] }
  | { kind: "delete"; table: PgTable; where: Row; count?: Count }
  | { kind: "mark"; table: PgTable; flag: string; where: Row; key: string; keys: unknown[] }
  | { kind: "ingest"; origin: string; entries: AsyncIterable<Entry> | Iterable<Entry>; count: Count };

/** Source records, upserted by (source, external_id); a record stored unchanged is not rewritten. */
export function upsert<T extends PgTable>(table: T, rows: InferInsertModel<T>[], count?: Count): Write {
  return { kind: "upsert", table, rows, count };
}

/** The rows of `table` matching `where` are exactly `rows` from now on (e.g. a pull request's commit list). */
export function replace<T extends PgTable>(table: T, where: Where<T>, key: (keyof InferInsertModel<T> & string)[], rows: InferInsertModel<T>[]): Write {
  return { kind: "replace", table, where, key, rows };
}

/** Deletes the rows matching `where` (a withdrawn deployment, an issue deleted at the source). */
export function remove<T extends PgTable>(table: T, where: Where<T>, count?: Count): Write {
  return { kind: "delete", table, where, count };
}

/**
 * Among the rows matching `where`, exactly those whose `key` is in `keys` have the boolean
 * column `flag` true (after a force push: which stored commits are on the default branch).
 */
export function mark<T extends PgTable>(table: T, flag: keyof InferSelectModel<T> & string, where: Where<T>, key: keyof InferSelectModel<T> & string, keys: unknown[]): Write {
  return { kind: "mark", table, flag, where, key, keys };
}

/**
 * Deployment-log entries, stored as `shipshape ingest` stores them: rejected lines (and
 * records the database refuses as data) are kept in ingest_rejections with `origin`. Counts
 * the valid records under `count.key` and the rejected lines under `<key>:rejected`.
 */
export function ingest(origin: string, entries: AsyncIterable<Entry> | Iterable<Entry>, count: Count): Write {
  return { kind: "ingest", origin, entries, count };
}
