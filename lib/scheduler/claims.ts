/**
 * Ticks are claimed in schedule_claims: every server computes the same tick times from the same
 * cron schedule and tries to insert (source, tick); the primary key lets exactly one insert land.
 */
import { and, eq, lt, max } from "drizzle-orm";
import type { Store } from "@/db/client";
import { scheduleClaims } from "@/db/schema";
import type { SourceName } from "@/lib/sync/run";

/** Claims older than this before a new claim are deleted: only the latest one is ever read. */
const KEEP_CLAIMS_MS = 7 * 24 * 3600_000;

/**
 * True when this server got the tick; false when another server (or an earlier try) has it.
 * `source` is a source name, or another scheduled job's key (the weekly email: "digest:<slug>").
 */
export async function claimTick(store: Store, source: string, tick: Date, claimedBy: string): Promise<boolean> {
  const scheduledFor = tick.toISOString();
  const inserted = await store.db
    .insert(scheduleClaims)
    .values({ source, scheduledFor, claimedBy })
    .onConflictDoNothing()
    .returning({ source: scheduleClaims.source });
  if (inserted.length === 0) return false;
  const oldest = new Date(tick.getTime() - KEEP_CLAIMS_MS).toISOString();
  await store.db.delete(scheduleClaims).where(and(eq(scheduleClaims.source, source), lt(scheduleClaims.scheduledFor, oldest)));
  return true;
}

/** What became of a claimed tick: the run it started, or why it started none. */
export async function settleClaim(store: Store, source: SourceName, tick: Date, outcome: { runId: number } | { skipped: string }): Promise<void> {
  await store.db
    .update(scheduleClaims)
    .set("runId" in outcome ? { runId: outcome.runId } : { skipped: outcome.skipped })
    .where(and(eq(scheduleClaims.source, source), eq(scheduleClaims.scheduledFor, tick.toISOString())));
}

/** The latest tick of `source` any server claimed, if any. */
export async function lastClaimedTick(store: Store, source: SourceName): Promise<Date | undefined> {
  const [row] = await store.db
    .select({ latest: max(scheduleClaims.scheduledFor) })
    .from(scheduleClaims)
    .where(eq(scheduleClaims.source, source));
  return row?.latest ? new Date(row.latest) : undefined;
}
