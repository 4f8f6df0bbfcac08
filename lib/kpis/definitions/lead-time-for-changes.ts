import { sql } from "drizzle-orm";
import { aggregates, aggregateKpi } from "@/lib/kpis/sql/aggregates";
import { shippedChanges } from "@/lib/kpis/entities/changes";
import type { Kpi, KpiEntry } from "@/lib/kpis/kpi";
import { completedDeploymentsIn } from "@/lib/kpis/entities/scope";
import { readingShippedCommits } from "@/lib/kpis/entities/shipped-derivation";
import { hoursBetween } from "@/lib/kpis/sql/fragments";
import { bucketedByWeek, sampleCount, type Samples } from "@/lib/kpis/sql/samples";

const leadTime = aggregateKpi({
  id: "lead_time_for_changes",
  title: "Lead time for changes",
  description:
    "How long a change takes to reach production: for every change (a pull request merged to the default branch, or a commit on it outside any pull request — pushed directly or brought in by merging a branch) whose first completed production deployment finished in the window, the hours from the change's start (the earliest authored commit of the pull request) to that deployment; the value is the median. A deployment ships every change in its commit's history, through every parent, that no earlier deployment had.",
  samples: (context) => sql`SELECT 'change'::text AS kind, ch.change_id AS id, ch.finished_at AS at, NULL::text AS dimension,
      ${hoursBetween(sql`ch.start`, sql`ch.finished_at`)} AS value, ch.title, ch.url, 'github'::text AS source
    FROM (${shippedChanges(context)}) AS ch`,
  aggregate: aggregates.median,
  // A change is placed at the finish of the deployment that first shipped it (the derived table
  // decides which, whatever the window), so the change's week is that instant's.
  placedByAt: true,
});

/** The completed production deployments of the window, placed at their finish, for the coverage. */
const deployments: Samples = (context) => sql`SELECT d.finished_at AS at, d.commit_sha FROM (${completedDeploymentsIn(context)}) AS d`;

/** `sampleCount` and a filtered count of `at`, so that the empty weeks of `bucketedByWeek` count 0. */
const coverageColumns = sql`${sampleCount} AS deployments, count(samples.at) FILTER (WHERE samples.commit_sha IS NULL)::int AS without_commit`;

type Coverage = NonNullable<KpiEntry["coverage"]>;

/** Lead time, with the coverage of its input: completed production deployments and those without a commit. */
export const leadTimeForChanges: Kpi = readingShippedCommits({
  ...leadTime,
  async compute(store, context) {
    const [entry] = await leadTime.compute(store, context);
    const [coverage] = await store.rows<Coverage>(sql`SELECT ${coverageColumns} FROM (${deployments(context)}) AS samples`);
    return [{ ...entry!, coverage: coverage! }];
  },
  async series(store, context, weeks) {
    const [values, coverages] = await Promise.all([
      leadTime.series!(store, context, weeks),
      store.rows<Coverage>(bucketedByWeek(deployments, context, weeks, coverageColumns)),
    ]);
    return values.map(([entry], index) => [{ ...entry!, coverage: coverages[index]! }]);
  },
});
