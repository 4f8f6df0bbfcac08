/**
 * Runs of one source never overlap, whoever starts them (a schedule tick on any server, a
 * webhook, `shipshape sync`): each run holds the source's advisory lock for as long as it goes.
 * PostgreSQL releases a session lock when its connection goes, so the lock is also the proof
 * of life of a `running` row: whoever takes the lock knows that no live process owns one, and
 * marks those left by a killed process failed.
 */
import { and, eq } from "drizzle-orm";
import type { Store } from "@/db/client";
import { syncRuns } from "@/db/schema";
import { SOURCE_NAMES, type SourceName } from "@/connectors/sources";
import { runSync, type SourceSync, type SyncContext, type SyncRunResult } from "@/lib/sync/run";

export const INTERRUPTED = "interrupted: the process stopped";

/** Arbitrary constants beside db/migrate.ts's 7_310_001: one advisory lock per source. */
const SOURCE_LOCKS: Record<SourceName, number> = { github: 7_310_101, jira: 7_310_102, deploy_logs: 7_310_103, dbt: 7_310_104, mlflow: 7_310_105, airflow: 7_310_106 };

export type GuardedRun = { ran: true; result: SyncRunResult } | { ran: false };

/** One sync of `source`, unless a run of it is going already (then nothing runs). */
export async function runExclusively(source: SourceName, sync: SourceSync, context: SyncContext): Promise<GuardedRun> {
  const attempt = await context.store.tryExclusively(SOURCE_LOCKS[source], async () => {
    await failInterruptedRuns(context.store, source);
    return runSync(source, sync, context);
  });
  return attempt.acquired ? { ran: true, result: attempt.value } : { ran: false };
}

/**
 * At a start: marks failed the `running` runs of every source nobody is running now. A source
 * whose lock is held is skipped: its live run is genuine, and its holder cleans up on its own
 * next run.
 */
export async function failAllInterruptedRuns(store: Store): Promise<SourceName[]> {
  const interrupted: SourceName[] = [];
  for (const source of SOURCE_NAMES) {
    const attempt = await store.tryExclusively(SOURCE_LOCKS[source], () => failInterruptedRuns(store, source));
    if (attempt.acquired && attempt.value > 0) interrupted.push(source);
  }
  return interrupted;
}

/**
 * Only while holding the source's lock: then every `running` row of it is an orphan. Its
 * finish time is when it was found, the last moment known to be after it stopped.
 */
async function failInterruptedRuns(store: Store, source: SourceName): Promise<number> {
  const failed = await store.db
    .update(syncRuns)
    .set({ status: "failed", finishedAt: new Date().toISOString(), error: INTERRUPTED })
    .where(and(eq(syncRuns.source, source), eq(syncRuns.status, "running")))
    .returning({ id: syncRuns.id });
  return failed.length;
}
