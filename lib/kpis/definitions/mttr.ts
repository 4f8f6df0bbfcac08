import { aggregates, aggregateKpi } from "@/lib/kpis/sql/aggregates";
import { resolvedIncidents } from "@/lib/kpis/entities/incidents";

export const mttr = aggregateKpi({
  id: "mttr",
  title: "Mean time to resolution",
  description:
    "The average hours from start to resolution of the project's incidents resolved in the window (deployment-log incidents, Jira incident issues, GitHub issues labelled incident). The same incidents as time to restore, but the mean: one long incident moves it a lot.",
  placedByAt: true,
  samples: resolvedIncidents,
  aggregate: aggregates.mean,
});
