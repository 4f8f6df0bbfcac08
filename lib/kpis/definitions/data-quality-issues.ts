import { sql } from "drizzle-orm";
import { dataQualityIssues as dataQualityIssuesTable, workItems } from "@/db/schema";
import { countKpi, inWindow } from "@/lib/kpis/sql/samples";
import { textArray } from "@/lib/kpis/sql/fragments";
import { githubLabelled, jiraLabelled, projectWorkItems, workItemEvent, workItemRules } from "@/lib/kpis/entities/work-items";

/**
 * Data-quality issues opened in the window, whatever became of them: deployment-log records of
 * the project's datasets, and the project's Jira and GitHub issues with a data-quality label.
 * An issue closed as a duplicate is left out: the issue it duplicates already counts.
 */
export const dataQualityIssues = countKpi({
  id: "data_quality_issues",
  title: "Data-quality issues",
  description:
    "Data-quality issues opened in the window: data_quality_issue records of the project's datasets from the deployment log, plus the project's Jira and GitHub issues labelled data-quality (by their creation date). Issues closed as duplicates are left out.",
  samples: (context) => {
    const rules = workItemRules(context.config);
    return sql`
      SELECT 'data_quality_issue' AS kind, ${dataQualityIssuesTable.externalId} AS id, ${dataQualityIssuesTable.detectedAt} AS at,
        NULL::text AS dimension, NULL::float8 AS value,
        ${dataQualityIssuesTable.dataset} || coalesce(': ' || ${dataQualityIssuesTable.description}, '') AS title,
        NULL::text AS url, ${dataQualityIssuesTable.source} AS source
      FROM ${dataQualityIssuesTable}
      WHERE ${dataQualityIssuesTable.dataset} = ANY(${textArray(context.project.datasets)})
        AND ${inWindow(sql`${dataQualityIssuesTable.detectedAt}`, context)}
      UNION ALL
      ${workItemEvent(sql`${workItems.createdAt}`)}
      FROM ${workItems}
      WHERE ${projectWorkItems(context.project)} AND ${inWindow(sql`${workItems.createdAt}`, context)}
        AND (${jiraLabelled(rules.jira.labels.data_quality)} OR ${githubLabelled(rules.github.labels.data_quality)})
        AND coalesce(lower(${workItems.resolution}), '') <> 'duplicate'`;
  },
});
