import { sql } from "drizzle-orm";
import { aggregates, aggregateKpi } from "@/lib/kpis/sql/aggregates";
import { shippedChanges } from "@/lib/kpis/entities/changes";
import { readingShippedCommits } from "@/lib/kpis/entities/shipped-derivation";
import { completedDeploymentsIn, deploymentEvent, deploymentTitle } from "@/lib/kpis/entities/scope";

export const reworkRate = readingShippedCommits(aggregateKpi({
  id: "rework_rate",
  title: "Rework rate",
  description:
    "The share of production deployments that were hotfixes: completed production deployments finishing in the window marked hotfix in the deployment log, or shipping a pull request labelled hotfix or from a hotfix/ branch, as a percentage of all completed production deployments in the window.",
  samples: (context) => sql`
    WITH changes AS MATERIALIZED (${shippedChanges(context)}),
    -- Per deployment, once (joined by id: not a scan of every shipped change per deployment).
    hotfixes AS (
      SELECT ch.deployment_id, string_agg(ch.change_id, ', ' ORDER BY ch.change_id) AS ids FROM changes ch WHERE ch.hotfix GROUP BY ch.deployment_id
    )
    SELECT ${deploymentEvent(
      "d",
      sql`CASE WHEN d.hotfix OR hotfixes.ids IS NOT NULL THEN 1 ELSE 0 END::float8`,
      deploymentTitle(
        "d",
        sql`nullif(concat_ws('; ', CASE WHEN d.hotfix THEN 'hotfix' END, 'ships hotfix ' || hotfixes.ids), '')`,
      ),
    )}
    FROM (${completedDeploymentsIn(context)}) AS d
    LEFT JOIN hotfixes ON hotfixes.deployment_id = d.id`,
  aggregate: aggregates.percentOfOnes,
  // A deployment's changes are placed at its own finish, and its hotfix marks are its own and its
  // changes': nothing outside the deployment's week decides its value.
  placedByAt: true,
}));
