/**
 * GitHub payloads → Shipshape's stored records (docs/github.md, "Mapping"). Pure functions:
 * no requests, no database. Every record keeps its payload in `raw`.
 */
import type { InferInsertModel } from "drizzle-orm";
import type { commits, deployments, pullRequestCommits, pullRequestReviews, pullRequests, releases, workItems } from "@/db/schema";
import {
  labelNames,
  type CommitPayload,
  type DeploymentPayload,
  type DeploymentStatusPayload,
  type IssuePayload,
  type PullPayload,
  type ReleasePayload,
  type ReviewPayload,
  type WorkflowRunPayload,
} from "./payloads";

export const SOURCE = "github";

export type PullRecord = InferInsertModel<typeof pullRequests>;
export type PullCommitRecord = InferInsertModel<typeof pullRequestCommits>;
export type ReviewRecord = InferInsertModel<typeof pullRequestReviews>;
export type CommitRecord = InferInsertModel<typeof commits>;
export type DeploymentRecord = InferInsertModel<typeof deployments>;
export type ReleaseRecord = InferInsertModel<typeof releases>;
export type WorkItemRecord = InferInsertModel<typeof workItems>;

/**
 * The fields of a payload a record is made of. The GraphQL path (./graphql/records.ts) gives the
 * same fields from its nodes, so both paths store the same records; `raw` is what was received.
 */
export type PullFields = Pick<PullPayload, "number" | "title" | "body" | "html_url" | "labels" | "created_at" | "updated_at" | "merged_at" | "merge_commit_sha"> & {
  head: { ref: string };
  base: { ref: string };
};
export type CommitFields = Pick<CommitPayload, "sha" | "parents"> & { commit: Pick<CommitPayload["commit"], "message" | "author" | "committer"> };
export type ReviewFields = Pick<ReviewPayload, "id" | "user" | "state" | "submitted_at">;
export type DeploymentFields = Pick<DeploymentPayload, "id" | "sha" | "ref" | "environment" | "created_at">;
/** REST states are lower case; GraphQL's (upper case, and `waiting`) are lowered to them. */
export type DeploymentStatusFields = Pick<DeploymentStatusPayload, "created_at"> & { state: string; id?: number };
export type ReleaseFields = Pick<ReleasePayload, "id" | "tag_name" | "name" | "html_url" | "draft" | "prerelease" | "published_at">;
export type IssueFields = Pick<IssuePayload, "number" | "title" | "html_url" | "state" | "state_reason" | "labels" | "created_at" | "updated_at" | "closed_at">;

export function pullRecord(repo: string, pull: PullFields, defaultBranch: string, raw: unknown = pull): PullRecord {
  const merged = pull.merged_at !== null;
  return {
    source: SOURCE,
    externalId: `${repo}#${pull.number}`,
    raw,
    repo,
    number: pull.number,
    title: pull.title,
    url: pull.html_url ?? null,
    baseRef: pull.base.ref,
    headRef: pull.head.ref,
    mergedToDefault: merged && pull.base.ref === defaultBranch,
    mergedAt: pull.merged_at,
    // Before a merge GitHub's merge_commit_sha is a throw-away test merge: not a commit of the branch.
    mergeCommitSha: merged ? pull.merge_commit_sha : null,
    revertsNumber: revertedNumber(repo, pull),
    labels: labelNames(pull.labels),
    createdAt: pull.created_at,
    updatedAt: pull.updated_at,
  };
}

/**
 * The pull request this one reverts, as GitHub's "Revert" button names it: the branch
 * `revert-<N>-<branch>` or the body `Reverts owner/repo#N`. A revert made by hand with only
 * the title `Revert "<title>"` is matched by title once both are stored (./enrichers/reverts.ts).
 */
export function revertedNumber(repo: string, pull: Pick<PullFields, "head" | "body">): number | null {
  const branch = /^revert-(\d+)-/.exec(pull.head.ref);
  if (branch) return Number(branch[1]);
  const escaped = repo.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const body = new RegExp(`^Reverts ${escaped}#(\\d+)`, "im").exec(pull.body ?? "");
  return body ? Number(body[1]) : null;
}

export function pullCommitRecord(repo: string, number: number, commit: CommitFields): PullCommitRecord {
  return {
    repo,
    number,
    sha: commit.sha,
    authoredAt: authoredAt(commit),
    committedAt: commit.commit.committer?.date ?? null,
    message: commit.commit.message,
  };
}

export function reviewRecord(repo: string, number: number, review: ReviewFields, raw: unknown = review): ReviewRecord {
  return {
    source: SOURCE,
    externalId: `${repo}#${number}/reviews/${review.id}`,
    raw,
    repo,
    number,
    reviewer: review.user?.login ?? null,
    state: review.state,
    submittedAt: review.submitted_at ?? null,
  };
}

export function commitRecord(repo: string, commit: CommitFields, raw: unknown = commit): CommitRecord {
  return {
    source: SOURCE,
    externalId: `${repo}@${commit.sha}`,
    raw,
    repo,
    sha: commit.sha,
    parents: commit.parents.map((parent) => parent.sha),
    authoredAt: authoredAt(commit),
    committedAt: commit.commit.committer?.date ?? null,
    message: commit.commit.message,
    onDefaultBranch: true,
  };
}

/** Git always records an author date; GitHub's schema allows null, so fall back to the commit date. */
function authoredAt(commit: CommitFields): string {
  const date = commit.commit.author?.date ?? commit.commit.committer?.date;
  if (!date) throw new Error(`commit ${commit.sha} has neither an author nor a committer date`);
  return date;
}

export function deploymentExternalId(repo: string, id: number): string {
  return `${repo}/deployments/${id}`;
}

/**
 * A GitHub deployment and its statuses → a deployment record (kpis.md, "GitHub Deployments"):
 * success at its first `success` status, even if `inactive` follows; failure when its latest
 * status is `failure` or `error` and it never succeeded; null (no record) while it is only
 * queued, pending or in progress, or has no status at all.
 */
export function deploymentRecord(
  repo: string,
  deployment: DeploymentFields,
  statuses: DeploymentStatusFields[],
  raw: unknown = { deployment, statuses },
): DeploymentRecord | null {
  const ordered = [...statuses].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || (a.id ?? 0) - (b.id ?? 0));
  const firstSuccess = ordered.find((status) => status.state === "success");
  const latest = ordered.at(-1);
  const outcome = firstSuccess
    ? { status: "success", finishedAt: firstSuccess.created_at }
    : latest && (latest.state === "failure" || latest.state === "error")
      ? { status: "failure", finishedAt: latest.created_at }
      : null;
  if (!outcome) return null;
  return {
    source: SOURCE,
    externalId: deploymentExternalId(repo, deployment.id),
    raw,
    service: null,
    environment: deployment.environment,
    ...outcome,
    kind: "code",
    startedAt: deployment.created_at,
    repo,
    commitSha: deployment.sha,
    ref: deployment.ref,
  };
}

export function releaseRecord(repo: string, release: ReleaseFields, raw: unknown = release): ReleaseRecord {
  return {
    source: SOURCE,
    externalId: `${repo}/releases/${release.id}`,
    raw,
    repo,
    tag: release.tag_name,
    name: release.name,
    url: release.html_url ?? null,
    draft: release.draft,
    prerelease: release.prerelease,
    publishedAt: release.published_at,
  };
}

export function issueRecord(repo: string, issue: IssueFields, raw: unknown = issue): WorkItemRecord {
  return {
    source: SOURCE,
    externalId: `${repo}#${issue.number}`,
    raw,
    container: repo,
    key: String(issue.number),
    title: issue.title,
    url: issue.html_url ?? null,
    issueType: null,
    labels: labelNames(issue.labels),
    status: issue.state,
    statusCategory: null,
    resolution: issue.state_reason ?? null,
    createdAt: issue.created_at,
    resolvedAt: issue.closed_at,
    updatedAt: issue.updated_at,
  };
}

export function workflowRunExternalId(repo: string, id: number): string {
  return `${repo}/actions/runs/${id}`;
}

/**
 * A run of a deploy workflow → a deployment record (kpis.md, "GitHub Actions runs"), in the
 * environment its rule gives (`environment`, null: no deployment). Only a completed run is one:
 * `success` → success, `failure` or `timed_out` → failure; cancelled, skipped (and the other
 * conclusions: neutral, action_required, stale) or still running → null. A re-run is the same
 * run (same id, a higher `run_attempt`): its record is the latest attempt's.
 */
export function workflowRunRecord(repo: string, run: WorkflowRunPayload, environment: string | null): DeploymentRecord | null {
  if (environment === null || run.status !== "completed") return null;
  const status = run.conclusion === "success" ? "success" : run.conclusion === "failure" || run.conclusion === "timed_out" ? "failure" : null;
  if (!status) return null;
  return {
    source: SOURCE,
    externalId: workflowRunExternalId(repo, run.id),
    raw: run,
    service: null,
    environment,
    status,
    finishedAt: run.updated_at,
    kind: "code",
    startedAt: run.run_started_at ?? run.created_at,
    repo,
    commitSha: run.head_sha,
    ref: run.head_branch,
  };
}
