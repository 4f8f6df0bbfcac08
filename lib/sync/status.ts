/**
 * Each configured source with its recent sync runs, next scheduled time and last error: what
 * `shipshape status` and GET /api/sources show (and the dashboard's sources page can).
 */
import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { Store } from "@/db/client";
import { syncRuns, type SyncRunStatus } from "@/db/schema";
import type { Config } from "@/lib/config/load";
import { nextTick, parseSchedule } from "@/lib/scheduler/cron";
import { SOURCE_NAMES, sources, type SourceName } from "@/connectors/sources";

export interface RunSummary {
  id: number;
  trigger: string;
  started_at: string;
  finished_at: string | null;
  status: SyncRunStatus;
  records: Record<string, number>;
  requests: number;
  error: string | null;
}

export interface SourceStatus {
  source: SourceName;
  /** How pages name it ("GitHub"). */
  title: string;
  /** Where it reads from, without credentials (a base URL, the globs). */
  reads: string;
  schedule: string;
  next_run_at: string | null;
  last_error: { at: string; error: string } | null;
  /** Newest first. */
  runs: RunSummary[];
}

export async function sourcesStatus(config: Config, store: Store, { runs = 10, now = new Date() } = {}): Promise<SourceStatus[]> {
  const statuses: SourceStatus[] = [];
  for (const source of SOURCE_NAMES) {
    const settings = config.sources[source];
    if (!settings) continue;
    const recent = await store.db.select().from(syncRuns).where(eq(syncRuns.source, source)).orderBy(desc(syncRuns.startedAt), desc(syncRuns.id)).limit(runs);
    const [failed] = await store.db
      .select({ startedAt: syncRuns.startedAt, error: syncRuns.error })
      .from(syncRuns)
      .where(and(eq(syncRuns.source, source), isNotNull(syncRuns.error)))
      .orderBy(desc(syncRuns.startedAt), desc(syncRuns.id))
      .limit(1);
    statuses.push({
      source,
      title: sources[source].title,
      reads: (sources[source].origin as (settings: unknown) => string)(settings),
      schedule: settings.schedule,
      next_run_at: nextTick(parseSchedule(settings.schedule), now)?.toISOString() ?? null,
      last_error: failed ? { at: iso(failed.startedAt), error: failed.error! } : null,
      runs: recent.map((run) => ({
        id: run.id,
        trigger: run.trigger,
        started_at: iso(run.startedAt),
        finished_at: run.finishedAt ? iso(run.finishedAt) : null,
        status: run.status,
        records: run.records,
        requests: run.requests,
        error: run.error,
      })),
    });
  }
  return statuses;
}

/** The drivers return timestamps in PostgreSQL's text form; the API speaks ISO 8601. */
const iso = (timestamp: string) => new Date(timestamp).toISOString();
