import { sql } from "drizzle-orm";
import { aggregates, aggregateKpi, bandBelow } from "./aggregates";
import { shippedChanges } from "./changes";
import { attributedIncidents } from "./incidents";
import { completedDeploymentsIn, deploymentEvent, deploymentTitle } from "./scope";

export const changeFailureRate = aggregateKpi({
  id: "change_failure_rate",
  title: "Change failure rate",
  description:
    "The share of production deployments that failed: completed production deployments finishing in the window that were rolled back or to which at least one incident is attributed (the incident names the deployment, or the commit it shipped, or it started within incident_window_hours after the deployment of its service), as a percentage of all completed production deployments in the window. A deployment with several incidents counts once.",
  samples: (context) => sql`
    WITH changes AS (${shippedChanges(context)}),
    attributed AS (${attributedIncidents(context, sql`changes`)})
    SELECT ${deploymentEvent(
      "d",
      sql`CASE WHEN d.status = 'rolled_back' OR count(a.id) > 0 THEN 1 ELSE 0 END::float8`,
      deploymentTitle(
        "d",
        sql`nullif(concat_ws('; ', CASE WHEN d.status = 'rolled_back' THEN 'rolled back' END,
              'incidents ' || string_agg(a.id, ', ' ORDER BY a.id COLLATE "C")), '')`,
      ),
    )}
    FROM (${completedDeploymentsIn(context)}) AS d
    LEFT JOIN attributed a ON a.deployment_id = d.id
    GROUP BY d.id, d.external_id, d.finished_at, d.status, d.source, d.service, d.model, d.repo, d.version, d.commit_sha`,
  aggregate: aggregates.percentOfOnes,
  band: (percent) => bandBelow(percent, [5, 10, 15], true),
});
