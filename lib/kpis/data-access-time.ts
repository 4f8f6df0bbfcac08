import { sql } from "drizzle-orm";
import { workItems } from "../../db/schema";
import { kpiIdentity } from "./ids";
import type { Kpi } from "./kpi";
import { selectEvents, type Samples } from "./samples";
import { hoursBetween } from "./sql";
import { jiraLabelled, jiraTyped, projectWorkItems, resolvedAsDoneIn, workItemEvent, workItemRules } from "./work-items";

/** Each data access request resolved as done in the window, with its hours from creation to resolution. */
const samples: Samples = (context) => {
  const rules = workItemRules(context.config);
  return sql`${workItemEvent(sql`${workItems.resolvedAt}`, hoursBetween(sql`${workItems.createdAt}`, sql`${workItems.resolvedAt}`))}
    FROM ${workItems}
    WHERE ${projectWorkItems(context.project)} AND ${resolvedAsDoneIn(context)}
      AND (${jiraTyped(rules.jira.issueTypes.data_access)} OR ${jiraLabelled(rules.jira.labels.data_access)})`;
};

export const dataAccessTime: Kpi = {
  ...kpiIdentity("data_access_time"),
  title: "Data access time",
  description:
    "How long people wait for data: the median hours from creation to resolution of the project's Jira data access requests (issue type Access Request, or labelled data-access) resolved as done in the window.",
  async compute(store, context) {
    const [row] = await store.rows<{ median: number | null; samples: number }>(sql`
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS median, count(*)::int AS samples
      FROM (${samples(context)}) AS samples`);
    return [{ dimension: null, value: row!.median, sampleSize: row!.samples }];
  },
  async events(store, context, dimension) {
    return dimension === null ? selectEvents(store, samples(context)) : [];
  },
};
