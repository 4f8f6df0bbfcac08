import { sql } from "drizzle-orm";
import { kpiIdentity } from "@/lib/kpis/ids";
import type { Kpi } from "@/lib/kpis/kpi";
import { inWindow, selectEvents, type Samples } from "@/lib/kpis/sql/samples";
import { completedDeploymentsIn, deploymentEvent, deploymentOfProject, isProduction } from "@/lib/kpis/entities/scope";

/** Each completed production deployment (any kind) finishing in the window. */
const samples: Samples = (context) => sql`SELECT ${deploymentEvent("d")} FROM (${completedDeploymentsIn(context)}) AS d`;

export const deploymentFrequency: Kpi = {
  ...kpiIdentity("deployment_frequency"),
  title: "Deployment frequency",
  description:
    "How often the project ships to production: completed production deployments (code and model; success or later rolled back) finishing in the window, divided by the window's days. Rollouts that failed never reached production: they are not counted here, but reported as failed_rollouts beside the value.",
  async compute(store, context) {
    const { project } = context;
    const [row] = await store.rows<{ deployments: number; failed_rollouts: number }>(sql`
      SELECT (SELECT count(*) FROM (${samples(context)}) AS samples)::int AS deployments,
        (SELECT count(*) FROM deployments d
          WHERE ${deploymentOfProject("d", project)} AND ${isProduction("d", project)} AND d.status = 'failure'
            AND ${inWindow(sql`d.finished_at`, context)})::int AS failed_rollouts`);
    return [
      {
        dimension: null,
        value: row!.deployments / context.window.days,
        sampleSize: row!.deployments,
        breakdown: { failed_rollouts: row!.failed_rollouts },
      },
    ];
  },
  async events(store, context, dimension) {
    return dimension === null ? selectEvents(store, samples(context)) : [];
  },
};
