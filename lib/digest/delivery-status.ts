/**
 * How the weekly emails went, for the sources page: per project, its recent weeks with how many
 * emails were sent, failed or are still being sent, and each failure with its last error.
 */
import { sql } from "drizzle-orm";
import type { Store } from "@/db/client";
import { isoInstant } from "@/lib/kpis/sql/fragments";

export interface DigestWeekStatus {
  project: string;
  /** The Monday of the summarised week. */
  week: string;
  sent: number;
  failed: number;
  sending: number;
  /** ISO 8601 UTC; null when nothing was sent. */
  lastSentAt: string | null;
  failures: { email: string; attempts: number; error: string | null }[];
}

/** The latest `weeks` weeks of every project that has sends, newest first by project. */
export async function digestDeliveryStatus(store: Store, weeks = 4): Promise<DigestWeekStatus[]> {
  const rows = await store.rows<{ project: string; week: string; sent: number; failed: number; sending: number; last_sent_at: string | null }>(sql`
    SELECT project, week,
           count(*) FILTER (WHERE status = 'sent')::int AS sent,
           count(*) FILTER (WHERE status = 'failed')::int AS failed,
           count(*) FILTER (WHERE status = 'sending')::int AS sending,
           ${isoInstant(sql`max(sent_at)`)} AS last_sent_at
    FROM (SELECT *, dense_rank() OVER (PARTITION BY project ORDER BY week DESC) AS recency FROM digest_sends) recent
    WHERE recency <= ${weeks}
    GROUP BY project, week
    ORDER BY project, week DESC`);
  const failures = await store.rows<{ project: string; week: string; email: string; attempts: number; last_error: string | null }>(sql`
    SELECT project, week, email, attempts, last_error FROM digest_sends WHERE status = 'failed' ORDER BY project, week, email`);
  return rows.map((row) => ({
    project: row.project,
    week: row.week,
    sent: row.sent,
    failed: row.failed,
    sending: row.sending,
    lastSentAt: row.last_sent_at,
    failures: failures
      .filter((failure) => failure.project === row.project && failure.week === row.week)
      .map((failure) => ({ email: failure.email, attempts: failure.attempts, error: failure.last_error })),
  }));
}
