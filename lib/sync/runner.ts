/**
 * The one runner of every source's streams (connectors/stream.ts): it opens the source, reads
 * each partition's streams in order, stores what they emit, saves each state once the records
 * before it are stored, runs the partition's enrichers, and counts records and requests.
 *
 * One bad part never sinks the source: a failure in a partition — a request, a payload, a
 * record the database refuses — fails that partition with one line (which part, which record
 * when known, why), and the run goes on with the others. Only a failure that concerns the
 * whole source (refused credentials, a source that cannot be opened) stops it. Whatever
 * happens, the outcome says what was stored and how many requests were sent.
 */
import { RequestCounter, UNCHANGED, type Source, type SourceFailure, type SourceSetup, type Stream, type StreamState } from "@/connectors/stream";
import { SOURCE_NAMES, sources, type SourceName } from "@/connectors/sources";
import { describeDatabaseError } from "@/db/refusals";
import type { Config } from "@/lib/config/load";
import { refreshShippedCommitsOf } from "@/lib/kpis/entities/shipped-derivation";
import type { SourceSync, SyncContext, SyncOutcome } from "./run";
import { estimateRemaining } from "./progress";
import { loadState, saveState } from "./stream-state";
import { applyWrites, Tally } from "./writes";

// Any source: the runner treats every partition, session and cursor type alike.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySource = Source<any, any, any, any>;

/** The sync of source `name`: its connector from connectors/sources.ts, or one given (tests tune retries). */
export function sourceSync(name: SourceName, source: AnySource = sources[name]): SourceSync {
  return (context) => runSource(name, source, context);
}

/** Every source's sync, by name. */
export function sourceSyncs(): Record<SourceName, SourceSync> {
  return Object.fromEntries(SOURCE_NAMES.map((name) => [name, sourceSync(name)])) as Record<SourceName, SourceSync>;
}

async function runSource(name: SourceName, source: AnySource, context: SyncContext): Promise<SyncOutcome> {
  const settings = context.config.sources[name];
  if (!settings) throw new Error(`sources.${name} is not configured`);
  const requests = new RequestCounter();
  const setup: SourceSetup<unknown, unknown> = { settings, projects: context.config.projects, configPath: context.config.path, requests, log: context.log };
  const tally = new Tally();
  const errors: string[] = [];
  const outcome = (parts: number, stopped = false): SyncOutcome => ({ records: tally.records, requests: requests.count, errors, parts, stopped });

  let session: unknown;
  let partitions: unknown[];
  try {
    session = await source.open(setup);
    partitions = (await source.partitions(setup, session)).filter((partition) => !context.only || context.only.includes(source.key(partition)));
  } catch (error) {
    errors.push(describe(source, error, context).message);
    return outcome(1, true);
  }
  const started = Date.now();
  for (const [index, partition] of partitions.entries()) {
    const key = source.key(partition);
    const before = { requests: requests.count, records: tally.total };
    const report = (stream: string | null) =>
      context.progress?.({
        source: name,
        part: key,
        index: index + 1,
        total: partitions.length,
        stream,
        records: tally.total - before.records,
        requests: requests.count - before.requests,
        budget: source.budget?.(session) ?? null,
        remainingMs: estimateRemaining(stream === null ? index + 1 : index, partitions.length, Date.now() - started),
        done: stream === null,
      });
    try {
      await runPartition({ name, source, context, session, partition, key, tally, report });
      const sent = requests.count - before.requests;
      context.log(`${key}: synced${sent ? ` (${sent} requests)` : ""}`);
      report(null);
    } catch (error) {
      const failure = describe(source, error, context);
      if (failure.stopsSource) {
        errors.push(failure.message);
        return outcome(partitions.length, true);
      }
      errors.push(`${key}: ${failure.message}`);
    }
  }
  await refreshShippedCommitsOf(context.store, context.config);
  return outcome(partitions.length);
}

interface PartitionRun {
  name: SourceName;
  source: AnySource;
  context: SyncContext;
  session: unknown;
  partition: unknown;
  key: string;
  tally: Tally;
  /** Progress of the partition, at each stream's start and after each batch it stores. */
  report: (stream: string) => void;
}

async function runPartition(run: PartitionRun): Promise<void> {
  // The cursor each stream holds after this run, by name, for the streams after it (StreamRun.upstream).
  const cursors = new Map<string, unknown>();
  try {
    for (const stream of run.source.streams) cursors.set(stream.name, await runStream(run, stream, cursors));
  } finally {
    // Whatever was stored, also by streams before a failing one, gets enriched.
    await run.source.afterPartition?.(run.context.store, run.partition, run.session);
  }
}

/** Runs one stream; returns the cursor it holds afterwards. */
async function runStream({ name, context, session, partition, key, tally, report }: PartitionRun, stream: Stream<unknown, unknown>, cursors: Map<string, unknown>): Promise<unknown> {
  report(stream.name);
  const { store } = context;
  const stateKey = `${key}:${stream.name}`;
  let state: StreamState | null = stream.cursor ? await loadState(store, name, stateKey, stream.cursor) : null;
  const save = async (next: StreamState) => {
    await saveState(store, name, stateKey, next);
    state = next;
  };
  const result = await stream.read({
    partition,
    session,
    state,
    async emit(writes, checkpoint) {
      await applyWrites(store, writes, tally, context.config);
      if (checkpoint && stream.cursor) await save(checkpoint);
      report(stream.name);
    },
    upstream(earlier) {
      const cursor = cursors.get(earlier.name);
      if (cursor === undefined || cursor === null) throw new Error(`the ${earlier.name} stream has no state for the ${stream.name} stream to read`);
      return cursor as never;
    },
    stored: store,
    log: context.log,
  });
  if (result && result !== UNCHANGED && stream.cursor) await save(result);
  return (state as StreamState | null)?.cursor ?? null;
}

/**
 * One line for a failure. A record the database refused, or the database failing, is said in
 * the database's own words (never the SQL statement drizzle puts in its message); anything else
 * is the source's to describe. SHIPSHAPE_DEBUG=1 logs the stack too.
 */
function describe(source: AnySource, error: unknown, context: SyncContext): SourceFailure {
  if (process.env.SHIPSHAPE_DEBUG === "1" && error instanceof Error && error.stack) context.log(error.stack);
  const database = describeDatabaseError(error);
  return database ? { message: database } : source.describeFailure(error);
}

/** Only for type checks: the configuration's source blocks are the sources of connectors/sources.ts, and fit what each reads. */
type SettingsOf<S> = S extends Source<infer _P, infer _S, infer Settings, infer _Project> ? Settings : never;
type Fits<T extends true> = T;
type _SourcesFitConfig = Fits<
  [keyof Config["sources"]] extends [SourceName]
    ? [SourceName] extends [keyof Config["sources"]]
      ? { [N in SourceName]: NonNullable<Config["sources"][N]> extends SettingsOf<(typeof sources)[N]> ? true : false }[SourceName]
      : false
    : false
>;
