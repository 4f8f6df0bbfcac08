/**
 * One sync run of one source, recorded in sync_runs from start to end whatever happens: a run
 * that throws, or whose source stopped, is `failed` with its one-line error; a source that
 * reports part of its work failed (one repo of three) is `partial`. The run's records and
 * requests are what the source stored and sent, also when it failed.
 */
import { eq } from "drizzle-orm";
import type { Store } from "@/db/client";
import { describeDatabaseError } from "@/db/refusals";
import { syncRuns, type SyncRunStatus } from "@/db/schema";
import { storable } from "@/db/storable";
import type { SourceName } from "@/connectors/sources";
import type { Config } from "@/lib/config/load";
import type { SyncProgress } from "./progress";

/** The sources' names, for the layers above that do not import connectors/. */
export { SOURCE_NAMES, type SourceName } from "@/connectors/sources";

export type SyncTrigger = "manual" | "schedule" | "webhook";

export interface SyncContext {
  config: Config;
  store: Store;
  trigger: SyncTrigger;
  /** Progress lines for whoever started the run (the CLI prints them). */
  log: (line: string) => void;
  /** Where the run is, part by part and stream by stream (the CLI draws it on a terminal). */
  progress?: (progress: SyncProgress) => void;
  /** Only these parts of the source (e.g. one repo after a webhook); all when absent. */
  only?: string[];
}

/** What a source reports back; the runner stores it in the run's row. */
export interface SyncOutcome {
  records: Record<string, number>;
  requests: number;
  /** One line per failed part; empty when all succeeded. */
  errors: string[];
  /** How many parts (repos, Jira projects, files) were attempted. */
  parts: number;
  /** The source stopped before the end (refused credentials): the run failed, whatever the parts did. */
  stopped?: boolean;
}

export type SourceSync = (context: SyncContext) => Promise<SyncOutcome>;

export interface SyncRunResult extends SyncOutcome {
  id: number;
  status: SyncRunStatus;
}

export async function runSync(source: SourceName, sync: SourceSync, context: SyncContext): Promise<SyncRunResult> {
  const { store } = context;
  const [run] = await store.db.insert(syncRuns).values({ source, trigger: context.trigger }).returning({ id: syncRuns.id });
  let outcome: SyncOutcome;
  try {
    outcome = await sync(context);
  } catch (error) {
    outcome = { records: {}, requests: 0, errors: [describeDatabaseError(error) ?? (error instanceof Error ? error.message : String(error))], parts: 1 };
  }
  const status = statusOf(outcome);
  await store.db
    .update(syncRuns)
    .set({
      status,
      finishedAt: new Date().toISOString(),
      // Stream names and error lines can quote source text (file names, values).
      ...storable({ records: outcome.records, error: outcome.errors.length ? outcome.errors.join("\n") : null }),
      requests: outcome.requests,
    })
    .where(eq(syncRuns.id, run!.id));
  return { ...outcome, id: run!.id, status };
}

function statusOf({ errors, parts, stopped }: SyncOutcome): SyncRunStatus {
  if (stopped) return "failed";
  if (errors.length === 0) return "succeeded";
  return errors.length >= parts ? "failed" : "partial";
}
