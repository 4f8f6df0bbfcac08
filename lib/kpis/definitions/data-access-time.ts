import { sql } from "drizzle-orm";
import { workItems } from "@/db/schema";
import { aggregateKpi, aggregates } from "@/lib/kpis/sql/aggregates";
import { hoursBetween } from "@/lib/kpis/sql/fragments";
import { jiraLabelled, jiraTyped, projectWorkItems, resolvedAsDoneIn, workItemEvent, workItemRules } from "@/lib/kpis/entities/work-items";

/**
 * The median hours from creation to resolution of the project's Jira data access requests
 * (the configured types, or labels) resolved as done in the window; each request is one event
 * valued with its hours.
 */
export const dataAccessTime = aggregateKpi({
  id: "data_access_time",
  title: "Data access time",
  description:
    "How long people wait for data: the median hours from creation to resolution of the project's Jira data access requests (issue type Access Request, or labelled data-access) resolved as done in the window.",
  placedByAt: true,
  samples: (context) => {
    const rules = workItemRules(context.config);
    return sql`${workItemEvent(sql`${workItems.resolvedAt}`, hoursBetween(sql`${workItems.createdAt}`, sql`${workItems.resolvedAt}`))}
      FROM ${workItems}
      WHERE ${projectWorkItems(context.project)} AND ${resolvedAsDoneIn(context)}
        AND (${jiraTyped(rules.jira.issueTypes.data_access)} OR ${jiraLabelled(rules.jira.labels.data_access)})`;
  },
  aggregate: aggregates.median,
});
