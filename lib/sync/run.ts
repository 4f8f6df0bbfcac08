/**
 * One sync run of one source, recorded in sync_runs from start to end whatever happens: a run
 * that throws is `failed` with its one-line error; a source that reports part of its work
 * failed (one repo of three) is `partial`.
 */
import { eq } from "drizzle-orm";
import type { Store } from "@/db/client";
import { syncRuns, type SyncRunStatus } from "@/db/schema";
import type { Config } from "@/lib/config/load";

export type SourceName = "github" | "jira" | "deploy_logs";
export type SyncTrigger = "manual" | "schedule" | "webhook";

export interface SyncContext {
  config: Config;
  store: Store;
  trigger: SyncTrigger;
  /** Progress lines for whoever started the run (the CLI prints them). */
  log: (line: string) => void;
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
    outcome = { records: {}, requests: 0, errors: [error instanceof Error ? error.message : String(error)], parts: 1 };
  }
  const status = statusOf(outcome);
  await store.db
    .update(syncRuns)
    .set({
      status,
      finishedAt: new Date().toISOString(),
      records: outcome.records,
      requests: outcome.requests,
      error: outcome.errors.length ? outcome.errors.join("\n") : null,
    })
    .where(eq(syncRuns.id, run!.id));
  return { ...outcome, id: run!.id, status };
}

function statusOf({ errors, parts }: SyncOutcome): SyncRunStatus {
  if (errors.length === 0) return "succeeded";
  return errors.length >= parts ? "failed" : "partial";
}
