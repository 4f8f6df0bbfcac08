/** GitHub-only facts that have no shared table: the reviews of merged pull requests. */
import { index, integer, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { instant, sourceColumns } from "./columns";

export const pullRequestReviews = pgTable(
  "pull_request_reviews",
  {
    id: serial("id").primaryKey(),
    ...sourceColumns(),
    repo: text("repo").notNull(),
    number: integer("number").notNull(),
    reviewer: text("reviewer"),
    /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING, as GitHub says it. */
    state: text("state").notNull(),
    submittedAt: instant("submitted_at"),
  },
  (t) => [uniqueIndex("pull_request_reviews_key").on(t.source, t.externalId), index("pull_request_reviews_pull").on(t.repo, t.number)],
);
