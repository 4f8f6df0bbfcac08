/**
 * Issues from GitHub and Jira, kept with the facts the KPI definitions read (type, labels,
 * status, resolution, dates) rather than a pre-computed category: which labels and types mean
 * "bug" or "incident" is configuration, applied when a report is computed.
 */
import { index, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { instant, sourceColumns } from "./columns";

export const workItems = pgTable(
  "work_items",
  {
    id: serial("id").primaryKey(),
    ...sourceColumns(),
    /** GitHub `owner/name` or Jira project key. */
    container: text("container").notNull(),
    /** GitHub issue number or Jira issue key, as people say it. */
    key: text("key").notNull(),
    title: text("title").notNull(),
    url: text("url"),
    /** Jira issue type name; null for GitHub. */
    issueType: text("issue_type"),
    labels: text("labels").array().notNull().default([]),
    /** GitHub: open/closed. Jira: the status name. */
    status: text("status").notNull(),
    /** Jira status category key (new, indeterminate, done); null for GitHub. */
    statusCategory: text("status_category"),
    /** Jira resolution name; GitHub state_reason (completed, not_planned, reopened). */
    resolution: text("resolution"),
    createdAt: instant("created_at").notNull(),
    /** Jira resolutiondate; GitHub closed_at. */
    resolvedAt: instant("resolved_at"),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("work_items_key").on(t.source, t.externalId),
    index("work_items_container_created").on(t.container, t.createdAt),
    index("work_items_container_resolved").on(t.container, t.resolvedAt),
  ],
);
