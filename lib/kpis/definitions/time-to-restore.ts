import { aggregates, aggregateKpi } from "@/lib/kpis/sql/aggregates";
import { resolvedIncidents } from "@/lib/kpis/entities/incidents";

export const timeToRestore = aggregateKpi({
  id: "time_to_restore",
  title: "Time to restore",
  description:
    "How fast service comes back after a failure (DORA's failed deployment recovery time): the median hours from start to resolution of the project's incidents resolved in the window — deployment-log incidents, Jira issues of an incident type and GitHub issues labelled incident.",
  placedByAt: true,
  samples: resolvedIncidents,
  aggregate: aggregates.median,
});
