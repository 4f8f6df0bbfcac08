/**
 * The project's incidents as KPI samples, and which deployment each incident is attributed to
 * (kpis.md, "Failed change").
 */
import { sql, type SQL } from "drizzle-orm";
import type { KpiContext } from "@/lib/kpis/kpi";
import type { Samples } from "@/lib/kpis/sql/samples";
import { attributableBefore, deploymentOfProject, isCompletedProduction, projectIncidents } from "./scope";
import { hoursBetween } from "@/lib/kpis/sql/fragments";

/** Each of the project's incidents resolved in the window, valued its hours from start to resolution. */
export const resolvedIncidents: Samples = (context) => sql`
  SELECT 'incident'::text AS kind, i.id, i.resolved_at AS at, NULL::text AS dimension,
    ${hoursBetween(sql`i.started_at`, sql`i.resolved_at`)} AS value, i.title, i.url, i.source
  FROM (${projectIncidents(context, { resolvedInWindow: true })}) AS i`;

/**
 * A subquery: (incident id, deployment_id) for each of the project's incidents started since the
 * window's start, attributed to: the deployment its deployment_id names (in the incident's own
 * source: deployment ids are a source's own keys); else the deployment that first shipped its
 * commit_sha (deployed it, shipped it — `shipped` names a `shippedCommits` CTE, so a commit
 * reachable only through a merge's second parent is found too — or shipped the pull request
 * whose commit list holds it, `changes` naming a `shippedChanges` CTE); else the latest completed
 * production deployment of its service (of the project when it names none) that finished before
 * it started and at most incident_window_hours before. deployment_id is null when none fits.
 */
export function attributedIncidents(context: KpiContext, changes: SQL, shipped: SQL): SQL {
  const { project } = context;
  // CASE and coalesce run a subquery only when it is reached, so each incident costs the lookups
  // its fields call for, each through an index.
  const latestBefore = (scope: SQL) => sql`(SELECT d.id FROM deployments d
      WHERE ${scope} AND ${attributableBefore("inc", project)} ORDER BY d.finished_at DESC, d.id DESC LIMIT 1)`;
  return sql`SELECT inc.id, coalesce(
      CASE WHEN inc.deployment_id IS NOT NULL THEN
        (SELECT d.id FROM deployments d WHERE d.source = inc.source AND d.external_id = inc.deployment_id) END,
      CASE WHEN inc.commit_sha IS NOT NULL THEN (
        SELECT shipped.id FROM (
          SELECT d.id, d.finished_at FROM deployments d
            WHERE d.commit_sha = inc.commit_sha AND ${deploymentOfProject("d", project)} AND ${isCompletedProduction("d", project)}
          UNION ALL
          SELECT s.deployment_id, s.finished_at FROM ${shipped} AS s WHERE s.sha = inc.commit_sha
          UNION ALL
          SELECT ch.deployment_id, ch.finished_at FROM ${changes} AS ch
            WHERE EXISTS (SELECT 1 FROM pull_request_commits prc WHERE prc.repo = ch.repo AND prc.number = ch.pull_number AND prc.sha = inc.commit_sha)
        ) AS shipped ORDER BY shipped.finished_at, shipped.id LIMIT 1) END,
      CASE WHEN inc.service IS NOT NULL THEN ${latestBefore(sql`d.service = inc.service`)}
           ELSE ${latestBefore(deploymentOfProject("d", project))} END) AS deployment_id
    FROM (${projectIncidents(context, { startedSince: context.window.start })}) AS inc`;
}
