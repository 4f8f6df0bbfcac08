import { sql } from "drizzle-orm";
import { workItems } from "@/db/schema";
import { countKpi } from "@/lib/kpis/sql/samples";
import { githubLabelled, jiraTyped, projectWorkItems, resolvedAsDoneIn, workItemEvent, workItemRules } from "@/lib/kpis/entities/work-items";

/** Features resolved as done in the window: Jira feature types, GitHub issues labelled enhancement/feature. */
export const featuresShipped = countKpi({
  id: "features_shipped",
  title: "Features shipped",
  description:
    "Features resolved as done in the window: Jira issues of a feature type (Story, Feature, New Feature by default) whose status became Done, and GitHub issues labelled enhancement or feature that were closed as completed. An issue with both labels counts once.",
  placedByAt: true,
  samples: (context) => {
    const rules = workItemRules(context.config);
    return sql`${workItemEvent(sql`${workItems.resolvedAt}`)}
      FROM ${workItems}
      WHERE ${projectWorkItems(context.project)} AND ${resolvedAsDoneIn(context)}
        AND (${jiraTyped(rules.jira.issueTypes.feature)} OR ${githubLabelled(rules.github.labels.feature)})`;
  },
});
