/**
 * Which records belong to a project (kpis.md, "Project scope"), as SQL fragments every KPI
 * query shares. Fragments that test one row take the row's table alias, so a query can compare
 * a deployment with other deployments (`e`, earlier ones) in the same statement.
 *
 * - `deploymentOfProject(alias, project)`: a deployment belongs through its service, model or repo.
 * - `isProduction` / `isCompletedProduction`: the project's production environments
 *   (case-insensitive) and status success or rolled_back (it reached production).
 * - `completedDeploymentsIn(context)`: a subquery of the project's completed production
 *   deployments finishing in the window (columns of `deployments`).
 * - `projectIncidents(context)`: a subquery of the project's incidents from every source, one
 *   row each with the same columns (see `IncidentColumns`).
 * - `attributableBefore(alias, project)`: the deployments `d` an incident that names no
 *   deployment or commit can be attributed to, by time.
 * - `shippedCommits(context)`, `shippedChanges(context)` (in ./changes.ts): the commits and the
 *   changes first shipped in the window.
 */
import { sql, type SQL } from "drizzle-orm";
import type { ProjectConfig } from "@/lib/config/load";
import type { KpiContext } from "@/lib/kpis/kpi";
import { workItems } from "@/db/schema";
import { inWindow } from "@/lib/kpis/sql/samples";
import { inRepos, lowerTextArray, textArray } from "@/lib/kpis/sql/fragments";
import { githubLabelled, jiraTyped, projectWorkItems, resolvedAsDoneAt, resolvedAsDoneIn, workItemRules } from "./work-items";

const alias = (name: string) => sql.raw(name);

/** The project's repos (GitHub `owner/name`, or `owner/*`: compare with `inRepos`). */
export function projectRepos(project: ProjectConfig): string[] {
  return project.github?.repos ?? [];
}

/** A deployment row (alias `d`) belongs to the project through its service, its model or its repo. */
export function deploymentOfProject(d: string, project: ProjectConfig): SQL {
  const row = alias(d);
  return sql`(${row}.service = ANY(${textArray(project.services)}) OR ${row}.model = ANY(${textArray(project.models)})
    OR ${inRepos(sql`${row}.repo`, projectRepos(project))})`;
}

/** The deployment went to one of the project's production environments (names compare case-insensitively). */
export function isProduction(d: string, project: ProjectConfig): SQL {
  return sql`lower(${alias(d)}.environment) = ANY(${lowerTextArray(project.production_environments)})`;
}

/** A completed production deployment: it reached production (success, or rolled back afterwards). */
export function isCompletedProduction(d: string, project: ProjectConfig): SQL {
  return sql`(${isProduction(d, project)} AND ${alias(d)}.status IN ('success', 'rolled_back'))`;
}

/** The project's completed production deployments finishing in the window: all columns of `deployments`. */
export function completedDeploymentsIn(context: KpiContext): SQL {
  return sql`SELECT d.* FROM deployments d
    WHERE ${deploymentOfProject("d", context.project)} AND ${isCompletedProduction("d", context.project)}
      AND ${inWindow(sql`d.finished_at`, context)}`;
}

/** Columns of `projectIncidents`. `resolved_at` is null unless the incident is resolved (as done, for issues). */
export interface IncidentColumns {
  /** deploy_log, github or jira. */
  source: string;
  /** The drill-down id: the incident's id, "owner/name#12" or "FRD-7". */
  id: string;
  title: string | null;
  url: string | null;
  started_at: string;
  resolved_at: string | null;
  service: string | null;
  deployment_id: string | null;
  commit_sha: string | null;
}

/**
 * A deployment `d` that incident `i` can be attributed to by time (kpis.md, "Failed change"): a
 * completed production deployment that finished before the incident started and at most the
 * project's incident_window_hours before it. The latest of them is the one it is attributed to.
 */
export function attributableBefore(i: string, project: ProjectConfig): SQL {
  const incident = alias(i);
  return sql`${isCompletedProduction("d", project)} AND d.finished_at < ${incident}.started_at
    AND d.finished_at >= ${incident}.started_at - make_interval(secs => ${project.incident_window_hours * 3600})`;
}

/**
 * The project's incidents (kpis.md, "Project scope"):
 * - deployment-log incidents that name this project in `project` — only this one's, whatever
 *   else they name; of those naming no project, the ones of one of its services, or naming one
 *   of its deployments (deployment_id, a deployment of the incident's own source) or a commit of
 *   its repos or deployments (commit_sha); and those naming none of service, deployment_id and
 *   commit_sha (nor a project) that the project attributes to one of its deployments: a
 *   completed production deployment of its repos, services or models within
 *   incident_window_hours before the incident started. Such an incident is every project's
 *   candidate and belongs to each project that attributes it (kpis.md, "Incidents that name no
 *   service"); attributed to none, it counts nowhere.
 * - Jira issues of an incident type in its Jira projects; GitHub issues labelled incident in
 *   its repos. Issues are resolved at their resolution only when resolved as done (a GitHub
 *   incident closed as not planned, or a Jira one closed as Won't Do, was not restored: it has
 *   no resolved_at).
 *
 * `bounds` narrow the rows early, for speed.
 */
export function projectIncidents(context: KpiContext, bounds: { resolvedInWindow?: boolean; startedSince?: string } = {}): SQL {
  const { project } = context;
  const rules = workItemRules(context.config);
  const incidentBounds = [
    bounds.resolvedInWindow ? inWindow(sql`i.resolved_at`, context) : sql`true`,
    bounds.startedSince ? sql`i.started_at >= ${bounds.startedSince}::timestamptz` : sql`true`,
  ];
  const issueResolvedAt = resolvedAsDoneAt(context.config);
  const issueBounds = [
    bounds.resolvedInWindow ? resolvedAsDoneIn(context) : sql`true`,
    bounds.startedSince ? sql`${workItems.createdAt} >= ${bounds.startedSince}::timestamptz` : sql`true`,
  ];
  return sql`SELECT i.source, i.external_id AS id, i.title, NULL::text AS url, i.started_at, i.resolved_at,
        i.service, i.deployment_id, i.commit_sha
      FROM incidents i
      WHERE CASE WHEN i.project IS NOT NULL THEN i.project = ${project.slug}
        ELSE (i.service = ANY(${textArray(project.services)})
          -- Scalar lookups, not EXISTS: PostgreSQL would turn an EXISTS under OR into a hash over
          -- all of the project's deployments, which grows with the history.
          OR (i.deployment_id IS NOT NULL AND (
                SELECT true FROM deployments d WHERE d.source = i.source AND d.external_id = i.deployment_id AND ${deploymentOfProject("d", project)}))
          OR (i.commit_sha IS NOT NULL AND (
                (SELECT true FROM commits c WHERE c.sha = i.commit_sha AND ${inRepos(sql`c.repo`, projectRepos(project))} LIMIT 1)
                OR (SELECT true FROM deployments d WHERE d.commit_sha = i.commit_sha AND ${deploymentOfProject("d", project)} LIMIT 1)))
          -- Any deployment will do to know that the project attributes it: no need to find the latest.
          OR (i.service IS NULL AND i.deployment_id IS NULL AND i.commit_sha IS NULL AND (
                SELECT true FROM deployments d WHERE ${deploymentOfProject("d", project)} AND ${attributableBefore("i", project)} LIMIT 1)))
        END
        AND ${incidentBounds[0]} AND ${incidentBounds[1]}
    UNION ALL
    SELECT ${workItems.source}, CASE WHEN ${workItems.source} = 'github' THEN ${workItems.container} || '#' || ${workItems.key} ELSE ${workItems.key} END,
        ${workItems.title}, ${workItems.url}, ${workItems.createdAt}, ${issueResolvedAt},
        NULL::text, NULL::text, NULL::text
      FROM ${workItems}
      WHERE ${projectWorkItems(project)}
        AND (${jiraTyped(rules.jira.issueTypes.incident)} OR ${githubLabelled(rules.github.labels.incident)})
        AND ${issueBounds[0]} AND ${issueBounds[1]}`;
}

/** The drill-down columns (`KpiEvent`) of a deployment row `d`, placed at its finish. */
export function deploymentEvent(d: string, value: SQL = sql`NULL::float8`, title?: SQL): SQL {
  const row = alias(d);
  return sql`'deployment'::text AS kind, ${row}.external_id AS id, ${row}.finished_at AS at, NULL::text AS dimension,
    ${value} AS value, ${title ?? deploymentTitle(d, sql`NULL`)} AS title, NULL::text AS url, ${row}.source AS source`;
}

/** A deployment's drill-down title (service or model or repo, version, short sha), then `detail` when not null. */
export function deploymentTitle(d: string, detail: SQL): SQL {
  const row = alias(d);
  return sql`concat_ws(' — ', concat_ws(' ', coalesce(${row}.service, ${row}.model, ${row}.repo), ${row}.version, '(' || left(${row}.commit_sha, 7) || ')'), ${detail})`;
}
