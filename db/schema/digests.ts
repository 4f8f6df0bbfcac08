/**
 * The weekly email: who subscribes to which project, and every send, recorded under a unique
 * key (project, week, email) before the message goes out, so restarts and several servers
 * still send one email per subscriber per project per week.
 */
import { integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { z } from "zod";
import { instant } from "./columns";

export const subscriptions = pgTable(
  "subscriptions",
  {
    project: text("project").notNull(),
    /** Lower-cased. */
    email: text("email").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.project, t.email] })],
);

export const digestSendStatuses = ["sending", "sent", "failed"] as const;

export const digestSends = pgTable(
  "digest_sends",
  {
    project: text("project").notNull(),
    /** The Monday that starts the summarised week, in the project's time zone (YYYY-MM-DD). */
    week: text("week").notNull(),
    email: text("email").notNull(),
    status: text("status", { enum: digestSendStatuses }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** The Message-ID the SMTP server accepted. */
    messageId: text("message_id"),
    /** The server that claimed this send: host name and process id. */
    claimedBy: text("claimed_by").notNull(),
    claimedAt: instant("claimed_at").notNull().defaultNow(),
    sentAt: instant("sent_at"),
  },
  (t) => [primaryKey({ columns: [t.project, t.week, t.email] })],
);

/** Secrets the servers sharing a database must agree on (e.g. the key that signs unsubscribe links). */
export const appSecrets = pgTable("app_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: instant("created_at").notNull().defaultNow(),
});

export const subscriptionInput = z.object({
  project: z.string().regex(/^[a-z0-9-]+$/),
  email: z.email({ message: "is not an email address" }).transform((email) => email.toLowerCase()),
});
