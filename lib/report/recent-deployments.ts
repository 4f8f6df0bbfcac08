/** Deployment lists for pages: a project's latest deployments, newest first. */
import { sql } from "drizzle-orm";
import type { Store } from "@/db/client";
import type { ProjectConfig } from "@/lib/config/load";
import { deploymentOfProject } from "@/lib/kpis/entities/scope";

export interface DeploymentSummary extends Record<string, unknown> {
  id: string;
  source: string;
  service: string | null;
  model: string | null;
  kind: string;
  environment: string;
  status: string;
  version: string | null;
  commitSha: string | null;
  repo: string | null;
  finishedAt: string;
}

export async function recentDeployments(store: Store, project: ProjectConfig, limit = 10): Promise<DeploymentSummary[]> {
  return store.rows<DeploymentSummary>(sql`
    SELECT d.external_id AS "id", d.source, d.service, d.model, d.kind, d.environment, d.status, d.version,
           d.commit_sha AS "commitSha", d.repo, to_json(d.finished_at)#>>'{}' AS "finishedAt"
    FROM deployments d
    WHERE ${deploymentOfProject("d", project)}
    ORDER BY d.finished_at DESC
    LIMIT ${limit}`);
}
