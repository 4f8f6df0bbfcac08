/**
 * Jira sprints, from the Agile API's boards (docs/jira.md, "Sprints"): one row per sprint of a
 * board of a Jira project key. The retro page offers them and uses a sprint's dates as its
 * window. `external_id` is `<board id>:<sprint id>` (a sprint shared by two boards is listed
 * under both); `raw` is the sprint as Jira sent it.
 */
import { index, integer, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { instant, sourceColumns } from "./columns";

export const sprints = pgTable(
  "sprints",
  {
    id: serial("id").primaryKey(),
    ...sourceColumns(),
    /** The Jira project key whose boards list the sprint. */
    container: text("container").notNull(),
    boardId: integer("board_id").notNull(),
    boardName: text("board_name").notNull(),
    /** Jira's sprint id. */
    sprintId: integer("sprint_id").notNull(),
    name: text("name").notNull(),
    /** future, active or closed. */
    state: text("state").notNull(),
    /** Absent on a sprint not started yet. */
    startedAt: instant("started_at"),
    /** The planned end. */
    endsAt: instant("ends_at"),
    /** When the sprint was completed; null while it is not. */
    completedAt: instant("completed_at"),
  },
  (t) => [uniqueIndex("sprints_key").on(t.source, t.externalId), index("sprints_container").on(t.container, t.startedAt)],
);
