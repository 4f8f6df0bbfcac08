/** Deployment lists for pages: a project's latest deployments, newest first. */
import { desc, inArray, or, type SQL } from "drizzle-orm";
import type { Store } from "../db/client";
import { deployments } from "../db/schema";
import type { ProjectConfig } from "./config/load";

export interface DeploymentSummary {
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

/** A deployment belongs to a project through its service, its model or its repo (kpis.md). */
function belongsTo(project: ProjectConfig): SQL | undefined {
  const repos = project.github?.repos ?? [];
  const conditions = [
    project.services.length ? inArray(deployments.service, project.services) : undefined,
    project.models.length ? inArray(deployments.model, project.models) : undefined,
    repos.length ? inArray(deployments.repo, repos) : undefined,
  ].filter((condition): condition is SQL => condition !== undefined);
  return conditions.length ? or(...conditions) : undefined;
}

export async function recentDeployments(store: Store, project: ProjectConfig, limit = 10): Promise<DeploymentSummary[]> {
  const scope = belongsTo(project);
  if (!scope) return [];
  return store.db
    .select({
      id: deployments.externalId,
      source: deployments.source,
      service: deployments.service,
      model: deployments.model,
      kind: deployments.kind,
      environment: deployments.environment,
      status: deployments.status,
      version: deployments.version,
      commitSha: deployments.commitSha,
      repo: deployments.repo,
      finishedAt: deployments.finishedAt,
    })
    .from(deployments)
    .where(scope)
    .orderBy(desc(deployments.finishedAt))
    .limit(limit);
}
