/**
 * The parts of GitHub's REST payloads the connector reads, as zod schemas. Objects are loose:
 * every other field is kept, so a parsed payload is also the `raw` column as GitHub sent it.
 * A response that does not match is malformed and stops the repo (see docs/github.md).
 */
import { z } from "zod";

const instant = z.iso.datetime({ offset: true });
const login = z.looseObject({ login: z.string() }).nullable().optional();
const label = z.union([z.string(), z.looseObject({ name: z.string() })]);

export const repositoryPayload = z.looseObject({ full_name: z.string(), default_branch: z.string() });

const branch = z.looseObject({ ref: z.string(), sha: z.string() });

export const pullPayload = z.looseObject({
  number: z.number().int(),
  title: z.string(),
  body: z.string().nullable().optional(),
  html_url: z.string().optional(),
  state: z.string(),
  labels: z.array(label),
  created_at: instant,
  updated_at: instant,
  merged_at: instant.nullable(),
  merge_commit_sha: z.string().nullable(),
  head: branch,
  base: branch,
});
export type PullPayload = z.infer<typeof pullPayload>;

const gitSignature = z.looseObject({ date: instant }).nullable();

export const commitPayload = z.looseObject({
  sha: z.string(),
  commit: z.looseObject({ message: z.string(), author: gitSignature, committer: gitSignature }),
  parents: z.array(z.looseObject({ sha: z.string() })),
});
export type CommitPayload = z.infer<typeof commitPayload>;

export const comparePayload = z.looseObject({
  status: z.enum(["ahead", "behind", "diverged", "identical"]),
  ahead_by: z.number().int(),
  commits: z.array(commitPayload),
});

export const reviewPayload = z.looseObject({
  id: z.number().int(),
  user: login,
  state: z.string(),
  submitted_at: instant.nullable().optional(),
});
export type ReviewPayload = z.infer<typeof reviewPayload>;

export const deploymentPayload = z.looseObject({
  id: z.number().int(),
  sha: z.string(),
  ref: z.string(),
  environment: z.string(),
  created_at: instant,
});
export type DeploymentPayload = z.infer<typeof deploymentPayload>;

export const deploymentStatusPayload = z.looseObject({
  id: z.number().int(),
  state: z.enum(["error", "failure", "inactive", "in_progress", "queued", "pending", "success"]),
  created_at: instant,
});
export type DeploymentStatusPayload = z.infer<typeof deploymentStatusPayload>;

export const releasePayload = z.looseObject({
  id: z.number().int(),
  tag_name: z.string(),
  name: z.string().nullable(),
  html_url: z.string().optional(),
  draft: z.boolean(),
  prerelease: z.boolean(),
  created_at: instant,
  published_at: instant.nullable(),
});
export type ReleasePayload = z.infer<typeof releasePayload>;

export const issuePayload = z.looseObject({
  number: z.number().int(),
  title: z.string(),
  html_url: z.string().optional(),
  state: z.enum(["open", "closed"]),
  state_reason: z.string().nullable().optional(),
  labels: z.array(label),
  created_at: instant,
  updated_at: instant,
  closed_at: instant.nullable(),
  /** Present when the "issue" is a pull request: those are skipped. */
  pull_request: z.unknown().optional(),
});
export type IssuePayload = z.infer<typeof issuePayload>;

export function labelNames(labels: z.infer<typeof label>[]): string[] {
  return labels.map((l) => (typeof l === "string" ? l : l.name));
}

/** A GitHub Actions workflow (`GET /repos/{owner}/{repo}/actions/workflows`). */
export const workflowPayload = z.looseObject({ id: z.number().int(), name: z.string(), path: z.string() });
export const workflowsPayload = z.looseObject({ total_count: z.number().int(), workflows: z.array(workflowPayload) });
export type WorkflowPayload = z.infer<typeof workflowPayload>;

/** A workflow run (`GET /repos/{owner}/{repo}/actions/workflows/{workflow}/runs`). */
export const workflowRunPayload = z.looseObject({
  id: z.number().int(),
  name: z.string().nullable().optional(),
  path: z.string(),
  head_branch: z.string().nullable(),
  head_sha: z.string(),
  status: z.string().nullable(),
  conclusion: z.string().nullable(),
  run_attempt: z.number().int().optional(),
  run_started_at: instant.optional(),
  created_at: instant,
  updated_at: instant,
});
export type WorkflowRunPayload = z.infer<typeof workflowRunPayload>;
export const workflowRunsPayload = z.looseObject({ total_count: z.number().int(), workflow_runs: z.array(workflowRunPayload) });
