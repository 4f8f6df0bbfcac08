/**
 * Status and resolution changes of work items, from Jira's changelog: one row per changed
 * field of one history entry. `work_items` holds an issue's current state (its final
 * resolution); these rows let the report engine see that an issue was reopened and resolved
 * again, and when.
 */
import { index, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { instant, sourceColumns } from "./columns";

export const workItemTransitions = pgTable(
  "work_item_transitions",
  {
    id: serial("id").primaryKey(),
    /** `external_id` is `<history id>:<item index>`; `raw` is the whole history entry. */
    ...sourceColumns(),
    /** The work item's `external_id` (the Jira issue id, stable when the issue moves). */
    itemExternalId: text("item_external_id").notNull(),
    /** `status` or `resolution`. */
    field: text("field").notNull(),
    /** Names as Jira showed them at the time (a status or resolution renamed later keeps its old name here). */
    fromValue: text("from_value"),
    toValue: text("to_value"),
    changedAt: instant("changed_at").notNull(),
  },
  (t) => [
    uniqueIndex("work_item_transitions_key").on(t.source, t.externalId),
    index("work_item_transitions_item").on(t.source, t.itemExternalId, t.changedAt),
  ],
);
