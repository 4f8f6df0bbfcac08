/**
 * The project's incidents as KPI samples, and which deployment each incident is attributed to
 * (kpis.md, "Failed change").
 */
import { sql, type SQL } from "drizzle-orm";
import type { KpiContext } from "@/lib/kpis/kpi";
import type { Samples } from "@/lib/kpis/sql/samples";
import { derivedForProject } from "./changes";
import { attributableBefore, deploymentOfProject, isCompletedProduction, projectIncidents, projectRepos } from "./scope";
import { hoursBetween, inRepos } from "@/lib/kpis/sql/fragments";

/** Each of the project's incidents resolved in the window, valued its hours from start to resolution. */
export const resolvedIncidents: Samples = (context) => sql`
  SELECT 'incident'::text AS kind, i.id, i.resolved_at AS at, NULL::text AS dimension,
    ${hoursBetween(sql`i.started_at`, sql`i.resolved_at`)} AS value, i.title, i.url, i.source
  FROM (${projectIncidents(context, { resolvedInWindow: true })}) AS i`;

/**
 * A subquery: (incident id, deployment_id) for each of the project's incidents started since the
 * window's start, attributed to: the deployment its deployment_id names (in the incident's own
 * source: deployment ids are a source's own keys); else the deployment that first shipped its
 * commit_sha, of all time — deployed it, shipped it (`derived_shipped_commits`, so a commit
 * reachable only through a merge's second parent is found too), or shipped the pull request
 * whose commit list holds it; else the latest completed production deployment of its service
 * (of the project when it names none) that finished before it started and at most
 * incident_window_hours before. deployment_id is null when none fits.
 *
 * The first shipper is looked up over the whole history, not the window's: a window that holds
 * only a later redeploy of the commit must not blame the redeploy for an incident of the
 * deployment that first shipped it (kpis.md, "Failed change"), or one incident fails a
 * deployment in each of two weeks.
 */
export function attributedIncidents(context: KpiContext): SQL {
  const { project } = context;
  // CASE and coalesce run a subquery only when it is reached, so each incident costs the lookups
  // its fields call for, each through an index.
  const latestBefore = (scope: SQL) => sql`(SELECT d.id FROM deployments d
      WHERE ${scope} AND ${attributableBefore("inc", project)} ORDER BY d.finished_at DESC, d.id DESC LIMIT 1)`;
  return sql`SELECT inc.id, coalesce(
      CASE WHEN inc.deployment_id IS NOT NULL THEN
        (SELECT d.id FROM deployments d WHERE d.source = inc.source AND d.external_id = inc.deployment_id) END,
      CASE WHEN inc.commit_sha IS NOT NULL THEN (
        SELECT first.id FROM (
          SELECT d.id, d.finished_at FROM deployments d
            WHERE d.commit_sha = inc.commit_sha AND ${deploymentOfProject("d", project)} AND ${isCompletedProduction("d", project)}
          UNION ALL
          SELECT s.deployment_id, s.finished_at FROM derived_shipped_commits s WHERE ${derivedForProject(project)} AND s.sha = inc.commit_sha
          UNION ALL
          SELECT s.deployment_id, s.finished_at FROM pull_request_commits prc
            JOIN pull_requests p ON p.repo = prc.repo AND p.number = prc.number AND p.merged_to_default
            JOIN derived_shipped_commits s ON s.repo = p.repo AND s.sha = p.merge_commit_sha
            WHERE prc.sha = inc.commit_sha AND ${inRepos(sql`prc.repo`, projectRepos(project))} AND ${derivedForProject(project)}
        ) AS first ORDER BY first.finished_at, first.id LIMIT 1) END,
      CASE WHEN inc.service IS NOT NULL THEN ${latestBefore(sql`d.service = inc.service`)}
           ELSE ${latestBefore(deploymentOfProject("d", project))} END) AS deployment_id
    FROM (${projectIncidents(context, { startedSince: context.window.start })}) AS inc`;
}
