/**
 * Sync bookkeeping shared by every connector: one row per run (scheduled, manual or from a
 * webhook), and one cursor per stream (Airbyte-style) that advances only after the stream's
 * records are stored.
 */
import { index, integer, jsonb, pgTable, primaryKey, serial, text } from "drizzle-orm/pg-core";
import { instant } from "./columns";

export const syncRunStatuses = ["running", "succeeded", "partial", "failed"] as const;
export type SyncRunStatus = (typeof syncRunStatuses)[number];

export const syncRuns = pgTable(
  "sync_runs",
  {
    id: serial("id").primaryKey(),
    /** github, jira or deploy_logs. */
    source: text("source").notNull(),
    /** manual, schedule or webhook. */
    trigger: text("trigger").notNull(),
    startedAt: instant("started_at").notNull().defaultNow(),
    finishedAt: instant("finished_at"),
    status: text("status").$type<SyncRunStatus>().notNull().default("running"),
    /** Records stored per stream, e.g. {"acme/api:pulls": 120}. */
    records: jsonb("records").$type<Record<string, number>>().notNull().default({}),
    requests: integer("requests").notNull().default(0),
    /** One line per failed part (a repo, a Jira project), null when everything succeeded. */
    error: text("error"),
  },
  (t) => [index("sync_runs_source_started").on(t.source, t.startedAt)],
);

export const streamStates = pgTable(
  "stream_states",
  {
    source: text("source").notNull(),
    /** The stream within the source, e.g. "acme/api:pulls" or "FRD:issues". */
    stream: text("stream").notNull(),
    /** Where the next incremental read starts (a timestamp, a page token, a file offset). */
    cursor: jsonb("cursor"),
    /** The last ETag answered for the stream's first request, for conditional re-reads. */
    etag: text("etag"),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.source, t.stream] })],
);
