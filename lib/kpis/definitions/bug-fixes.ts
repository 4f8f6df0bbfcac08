import { sql } from "drizzle-orm";
import { workItems } from "@/db/schema";
import { countKpi } from "@/lib/kpis/sql/samples";
import { githubLabelled, jiraTyped, projectWorkItems, resolvedAsDoneIn, workItemEvent, workItemRules } from "@/lib/kpis/entities/work-items";

/** Bugs resolved as done in the window: Jira issues of a bug type, GitHub issues labelled bug. */
export const bugFixes = countKpi({
  id: "bug_fixes",
  title: "Bug fixes",
  description:
    "Bugs resolved as done in the window: Jira issues of a bug type whose status became Done (not won't-do, duplicate and the like), and GitHub issues labelled bug that were closed as completed. Each issue counts once, at its final resolution.",
  placedByAt: true,
  samples: (context) => {
    const rules = workItemRules(context.config);
    return sql`${workItemEvent(sql`${workItems.resolvedAt}`)}
      FROM ${workItems}
      WHERE ${projectWorkItems(context.project)} AND ${resolvedAsDoneIn(context)}
        AND (${jiraTyped(rules.jira.issueTypes.bug)} OR ${githubLabelled(rules.github.labels.bug)})`;
  },
});
