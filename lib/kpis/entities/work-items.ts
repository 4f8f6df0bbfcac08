/**
 * How the KPIs read GitHub and Jira issues (kpis.md, "Reading the sources"): which of them are
 * the project's, which labels and types mean what (configuration, with the contract's defaults
 * when a source is not configured, e.g. in demo mode), and when an issue is *resolved as done*.
 * Label, type and resolution names compare case-insensitively, as GitHub and Jira treat them.
 *
 * Work items carry `source` `github` (container `owner/name`, key the issue number) or `jira`
 * (container the project key, key `FRD-7`).
 */
import { sql, type SQL } from "drizzle-orm";
import { workItems } from "@/db/schema";
import type { Config, ProjectConfig } from "@/lib/config/load";
import { githubLabels, jiraIssueTypes, jiraLabels, notDoneResolutions } from "@/lib/config/schema";
import type { KpiContext } from "@/lib/kpis/kpi";
import { inWindow } from "@/lib/kpis/sql/samples";
import { inRepos, lowerTextArray, textArray } from "@/lib/kpis/sql/fragments";

export interface WorkItemRules {
  github: { labels: ReturnType<typeof githubLabels.parse> };
  jira: {
    issueTypes: ReturnType<typeof jiraIssueTypes.parse>;
    labels: ReturnType<typeof jiraLabels.parse>;
    notDoneResolutions: string[];
  };
}

export function workItemRules(config: Config): WorkItemRules {
  const { github, jira } = config.sources;
  return {
    github: { labels: github?.labels ?? githubLabels.parse({}) },
    jira: {
      issueTypes: jira?.issue_types ?? jiraIssueTypes.parse({}),
      labels: jira?.labels ?? jiraLabels.parse({}),
      notDoneResolutions: jira?.not_done_resolutions ?? notDoneResolutions.parse(undefined),
    },
  };
}

/** The project's issues: its GitHub repos and its Jira project keys. */
export function projectWorkItems(project: ProjectConfig): SQL {
  return sql`((${workItems.source} = 'github' AND ${inRepos(sql`${workItems.container}`, project.github?.repos ?? [])})
    OR (${workItems.source} = 'jira' AND ${workItems.container} = ANY(${textArray(project.jira?.projects ?? [])})))`;
}

/** A GitHub issue with one of these labels (several matching labels still make one item). */
export function githubLabelled(labels: readonly string[]): SQL {
  return sql`(${workItems.source} = 'github' AND EXISTS (SELECT 1 FROM unnest(${workItems.labels}) AS label WHERE lower(label) = ANY(${lowerTextArray(labels)})))`;
}

export function jiraLabelled(labels: readonly string[]): SQL {
  return sql`(${workItems.source} = 'jira' AND EXISTS (SELECT 1 FROM unnest(${workItems.labels}) AS label WHERE lower(label) = ANY(${lowerTextArray(labels)})))`;
}

export function jiraTyped(issueTypes: readonly string[]): SQL {
  return sql`(${workItems.source} = 'jira' AND lower(${workItems.issueType}) = ANY(${lowerTextArray(issueTypes)}))`;
}

/**
 * When the issue was resolved as done, else null. Jira: status category Done and a resolution
 * that is not a "not done" one (no resolution at all counts as done), at its resolution date.
 * GitHub: closed as `completed` (a close from before GitHub had close reasons, `state_reason`
 * null, counts as completed — that was the only way to close), at its last close; `not_planned`
 * never counts. A reopened issue is open until closed again and then counts once, at its last close.
 */
export function resolvedAsDoneAt(config: Config): SQL {
  const notDone = workItemRules(config).jira.notDoneResolutions;
  return sql`(CASE WHEN (${workItems.source} = 'jira' AND lower(${workItems.statusCategory}) = 'done'
        AND (${workItems.resolution} IS NULL OR lower(${workItems.resolution}) <> ALL(${lowerTextArray(notDone)})))
      OR (${workItems.source} = 'github' AND lower(${workItems.status}) = 'closed' AND coalesce(lower(${workItems.resolution}), 'completed') = 'completed')
    THEN ${workItems.resolvedAt} END)`;
}

/** Resolved as done (see `resolvedAsDoneAt`) inside the window; the plain column bound lets the index work. */
export function resolvedAsDoneIn(context: KpiContext): SQL {
  return sql`(${inWindow(sql`${workItems.resolvedAt}`, context)} AND ${resolvedAsDoneAt(context.config)} IS NOT NULL)`;
}

/** One drill-down row per work item, placed at `at`: "acme/api#12" or "FRD-7". */
export function workItemEvent(at: SQL, value: SQL = sql`NULL::float8`): SQL {
  return sql`SELECT 'work_item' AS kind,
      CASE WHEN ${workItems.source} = 'github' THEN ${workItems.container} || '#' || ${workItems.key} ELSE ${workItems.key} END AS id,
      ${at} AS at, NULL::text AS dimension, ${value} AS value, ${workItems.title} AS title, ${workItems.url} AS url,
      ${workItems.source} AS source`;
}
