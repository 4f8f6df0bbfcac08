import { sql } from "drizzle-orm";
import { kpiIdentity } from "@/lib/kpis/ids";
import type { Kpi, KpiEntry } from "@/lib/kpis/kpi";
import { bucketedByWeek, inWindow, selectEvents, type Samples } from "@/lib/kpis/sql/samples";
import { completedDeploymentsIn, deploymentEvent, deploymentOfProject, isProduction } from "@/lib/kpis/entities/scope";
import type { ReportWindow } from "@/lib/time/window";

/** Each completed production deployment (any kind) finishing in the window. */
const samples: Samples = (context) => sql`SELECT ${deploymentEvent("d")} FROM (${completedDeploymentsIn(context)}) AS d`;

/**
 * Every production rollout finishing in the window, completed or failed: what the value and its
 * `failed_rollouts` count, in one query (the completed ones are exactly `samples`' rows).
 */
const rollouts: Samples = (context) => sql`SELECT d.finished_at AS at, d.status FROM deployments d
  WHERE ${deploymentOfProject("d", context.project)} AND ${isProduction("d", context.project)}
    AND d.status IN ('success', 'rolled_back', 'failure') AND ${inWindow(sql`d.finished_at`, context)}`;

/** Counts `at`, so that the empty weeks of `bucketedByWeek` count 0. */
const counts = sql`count(samples.at) FILTER (WHERE samples.status <> 'failure')::int AS deployments,
  count(samples.at) FILTER (WHERE samples.status = 'failure')::int AS failed_rollouts`;

type Counts = { deployments: number; failed_rollouts: number };

function entry(row: Counts, window: ReportWindow): KpiEntry {
  return {
    dimension: null,
    value: row.deployments / window.days,
    sampleSize: row.deployments,
    breakdown: { failed_rollouts: row.failed_rollouts },
  };
}

export const deploymentFrequency: Kpi = {
  ...kpiIdentity("deployment_frequency"),
  title: "Deployment frequency",
  description:
    "How often the project ships to production: completed production deployments (code and model; success or later rolled back) finishing in the window, divided by the window's days. Rollouts that failed never reached production: they are not counted here, but reported as failed_rollouts beside the value.",
  async compute(store, context) {
    const [row] = await store.rows<Counts>(sql`SELECT ${counts} FROM (${rollouts(context)}) AS samples`);
    return [entry(row!, context.window)];
  },
  // Every rollout is placed in a window by its finish alone, and each week divides by its own days.
  async series(store, context, weeks) {
    const rows = await store.rows<Counts>(bucketedByWeek(rollouts, context, weeks, counts));
    return rows.map((row, index) => [entry(row, weeks[index]!)]);
  },
  async events(store, context, dimension) {
    return dimension === null ? selectEvents(store, samples(context)) : [];
  },
};
