/** Records for the delivery KPI tests: deployments, incidents and a repo's commit history. */
import type { InferInsertModel } from "drizzle-orm";
import type { Store } from "@/db/client";
import { commits, deployments, incidents, pullRequestCommits, pullRequests } from "@/db/schema";
import { placeCommits } from "@/connectors/github/enrichers";
import { insert } from "./support";

type Deployment = InferInsertModel<typeof deployments>;

/** A successful production deployment of service fraud-api (project "fraud"), unless overridden. */
export function deployment(id: string, finishedAt: string, fields: Partial<Deployment> = {}): Deployment {
  return { source: "deploy_log", externalId: id, raw: { id }, service: "fraud-api", environment: "production", status: "success", finishedAt, ...fields };
}

export const insertDeployments = (store: Store, rows: Deployment[]) => insert(store, deployments, rows);

type Incident = InferInsertModel<typeof incidents>;

export function incident(id: string, startedAt: string, fields: Partial<Incident> = {}): Incident {
  return { source: "deploy_log", externalId: id, raw: { id }, startedAt, ...fields };
}

export const insertIncidents = (store: Store, rows: Incident[]) => insert(store, incidents, rows);

/** A commit of acme/fraud-api on the default branch (unless overridden), authored at `authoredAt`. */
export function commit(sha: string, parents: string[], authoredAt: string, fields: Partial<InferInsertModel<typeof commits>> = {}) {
  const repo = fields.repo ?? "acme/fraud-api";
  return { source: "github", externalId: `${repo}@${sha}`, raw: {}, repo, sha, parents, authoredAt, message: `commit ${sha}\n\nbody`, onDefaultBranch: true, ...fields };
}

/** Stores commits and places them on their repo's default-branch line, as the GitHub sync's enricher does. */
export async function insertCommits(store: Store, rows: ReturnType<typeof commit>[]) {
  await insert(store, commits, rows);
  for (const repo of new Set(rows.map((row) => row.repo))) await placeCommits(store, repo);
}

/**
 * A pull request of acme/fraud-api merged into the default branch with `mergeCommitSha`, and
 * its own commits (sha, authored) as GitHub lists them.
 */
export async function insertPullRequest(
  store: Store,
  pull: { number: number; mergeCommitSha: string; commits: [string, string][] } & Partial<InferInsertModel<typeof pullRequests>>,
) {
  const { commits: own, ...fields } = pull;
  const repo = fields.repo ?? "acme/fraud-api";
  await insert(store, pullRequests, [
    {
      source: "github",
      externalId: `${repo}#${pull.number}`,
      raw: {},
      repo,
      title: `PR ${pull.number}`,
      url: `https://github.com/${repo}/pull/${pull.number}`,
      baseRef: "main",
      headRef: `feature/${pull.number}`,
      mergedToDefault: true,
      mergedAt: "2026-01-01T00:00:00Z",
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:00Z",
      ...fields,
    },
  ]);
  await insert(
    store,
    pullRequestCommits,
    own.map(([sha, authoredAt]) => ({ repo, number: pull.number, sha, authoredAt })),
  );
}
