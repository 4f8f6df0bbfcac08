import { sql } from "drizzle-orm";
import { countKpi } from "@/lib/kpis/sql/samples";
import { completedDeploymentsIn } from "@/lib/kpis/entities/scope";

/**
 * Distinct (model, version) pairs among the project's completed production deployments of kind
 * `model` finishing in the window: redeploying a version in the window counts it once. Each
 * pair is one event, its first such deployment in the window. A model deployment that names no
 * `model` is the model of its service; deployments without a `version` cannot be told apart,
 * so they make one pair (model, no version) together.
 */
export const modelIterationsShipped = countKpi({
  id: "model_iterations_shipped",
  title: "Model iterations shipped",
  description:
    "How many model versions reached production in the window: distinct model and version pairs among completed production deployments of kind model (successful, or rolled back after reaching production). Redeploying the same version counts once.",
  samples: (context) => sql`
    SELECT DISTINCT ON (coalesce(d.model, d.service), d.version) 'deployment' AS kind, d.external_id AS id, d.finished_at AS at,
      NULL::text AS dimension, NULL::float8 AS value,
      coalesce(d.model, d.service) || ' ' || coalesce(d.version, '(no version)') AS title, NULL::text AS url, d.source AS source
    FROM (${completedDeploymentsIn(context)}) AS d
    WHERE d.kind = 'model'
    ORDER BY coalesce(d.model, d.service), d.version, d.finished_at, d.id`,
});
