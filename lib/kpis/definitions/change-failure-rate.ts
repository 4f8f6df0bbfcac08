import { sql } from "drizzle-orm";
import { aggregates, aggregateKpi } from "@/lib/kpis/sql/aggregates";
import { shippedChanges, shippedCommits } from "@/lib/kpis/entities/changes";
import { attributedIncidents } from "@/lib/kpis/entities/incidents";
import { completedDeploymentsIn, deploymentEvent, deploymentTitle, projectRepos } from "@/lib/kpis/entities/scope";
import { inRepos } from "@/lib/kpis/sql/fragments";
import { readingShippedCommits } from "@/lib/kpis/entities/shipped-derivation";

export const changeFailureRate = readingShippedCommits(aggregateKpi({
  id: "change_failure_rate",
  title: "Change failure rate",
  description:
    "The share of production deployments that failed: completed production deployments finishing in the window that were rolled back, to which at least one incident is attributed (the incident names the deployment, or the commit it shipped, or it started within incident_window_hours after the deployment of its service), or that shipped a pull request a later merged pull request reverts, as a percentage of all completed production deployments in the window. A deployment with several incidents counts once.",
  samples: (context) => sql`
    WITH shipped AS MATERIALIZED (${shippedCommits(context)}),
    changes AS MATERIALIZED (${shippedChanges(context, sql`shipped`)}),
    attributed AS (${attributedIncidents(context)}),
    -- Shipped pull requests that a merged pull request reverts (the GitHub connector's revert marker).
    reverts AS MATERIALIZED (
      SELECT r.repo, r.reverts_number FROM pull_requests r
      WHERE ${inRepos(sql`r.repo`, projectRepos(context.project))} AND r.reverts_number IS NOT NULL AND r.merged_to_default
    ),
    reverted AS (
      SELECT ch.deployment_id, string_agg(ch.change_id, ', ' ORDER BY ch.change_id COLLATE "C") AS ids FROM changes ch
      WHERE EXISTS (SELECT 1 FROM reverts r WHERE r.repo = ch.repo AND r.reverts_number = ch.pull_number)
      GROUP BY ch.deployment_id
    )
    SELECT ${deploymentEvent(
      "d",
      sql`CASE WHEN d.status = 'rolled_back' OR count(a.id) > 0 OR reverted.ids IS NOT NULL THEN 1 ELSE 0 END::float8`,
      deploymentTitle(
        "d",
        sql`nullif(concat_ws('; ', CASE WHEN d.status = 'rolled_back' THEN 'rolled back' END,
              'incidents ' || string_agg(a.id, ', ' ORDER BY a.id COLLATE "C"), 'reverted ' || reverted.ids), '')`,
      ),
    )}
    FROM (${completedDeploymentsIn(context)}) AS d
    LEFT JOIN attributed a ON a.deployment_id = d.id
    LEFT JOIN reverted ON reverted.deployment_id = d.id
    GROUP BY reverted.ids, d.id, d.external_id, d.finished_at, d.status, d.source, d.service, d.model, d.repo, d.version, d.commit_sha`,
  aggregate: aggregates.percentOfOnes,
}));
