/**
 * Scheduling bookkeeping. A scheduled tick of a source is claimed by inserting its row: servers
 * sharing one database all try at the same tick and only the one whose insert lands runs it.
 * Webhook deliveries are kept once per delivery id, as GitHub sent them.
 */
import { index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { instant } from "./columns";

export const scheduleClaims = pgTable(
  "schedule_claims",
  {
    /** github, jira or deploy_logs. */
    source: text("source").notNull(),
    /** The tick of the source's cron schedule that this row claims. */
    scheduledFor: instant("scheduled_for").notNull(),
    /** The server that claimed it: host name and process id. */
    claimedBy: text("claimed_by").notNull(),
    claimedAt: instant("claimed_at").notNull().defaultNow(),
    /** The sync run it started; null when the tick was skipped. */
    runId: integer("run_id"),
    /** Why the tick did not start a run (the previous run of the source was still going). */
    skipped: text("skipped"),
  },
  (t) => [primaryKey({ columns: [t.source, t.scheduledFor] })],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    /** X-GitHub-Delivery: GitHub re-sends a delivery with the same id. */
    deliveryId: text("delivery_id").primaryKey(),
    /** X-GitHub-Event, e.g. pull_request. */
    event: text("event").notNull(),
    action: text("action"),
    /** owner/name of the repository it is about; null for events without one. */
    repo: text("repo"),
    receivedAt: instant("received_at").notNull().defaultNow(),
    raw: jsonb("raw").notNull(),
  },
  (t) => [index("webhook_deliveries_received").on(t.receivedAt)],
);
