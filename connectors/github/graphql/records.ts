/**
 * GraphQL nodes → the same records as the REST path: each node gives the fields the REST
 * record builders (../records.ts) read, and the builders make the record, so the two paths
 * cannot drift apart. What differs is `raw`: the node as GitHub's GraphQL API sent it (its
 * camelCase field names tell it from a REST payload), with its lists completed past the first
 * page — a pull request's without its `commits` and `reviews`, which are rows of their own.
 */
import {
  commitRecord,
  deploymentRecord,
  issueRecord,
  pullCommitRecord,
  pullRecord,
  releaseRecord,
  reviewRecord,
  type CommitFields,
  type DeploymentFields,
  type DeploymentRecord,
} from "@/connectors/github/records";
import type { GraphCommit, GraphDeployment, GraphHistoryCommit, GraphIssue, GraphPull, GraphRelease, GraphReview } from "./payloads";

/** A pull request with every commit, review and label (the pages past 100 fetched). */
export interface CompletePull {
  node: GraphPull;
  labels: string[];
  commits: GraphCommit[];
  reviews: GraphReview[];
}

export function graphPullRecord(repo: string, { node, labels }: CompletePull, defaultBranch: string) {
  const { commits: _commits, reviews: _reviews, ...raw } = { ...node, labels: { nodes: labels.map((name) => ({ name })) } };
  return pullRecord(
    repo,
    {
      number: node.number,
      title: node.title,
      body: node.body,
      html_url: node.url,
      labels,
      created_at: node.createdAt,
      updated_at: node.updatedAt,
      merged_at: node.mergedAt,
      merge_commit_sha: node.mergeCommit?.oid ?? null,
      head: { ref: node.headRefName },
      base: { ref: node.baseRefName },
    },
    defaultBranch,
    raw,
  );
}

function commitFields(commit: GraphCommit, parents: string[] = []): CommitFields {
  return {
    sha: commit.oid,
    parents: parents.map((sha) => ({ sha })),
    commit: { message: commit.message, author: { date: commit.authoredDate }, committer: { date: commit.committedDate } },
  };
}

export function graphPullCommitRecord(repo: string, number: number, commit: GraphCommit) {
  return pullCommitRecord(repo, number, commitFields(commit));
}

export function graphReviewRecord(repo: string, number: number, review: GraphReview) {
  return reviewRecord(repo, number, { id: review.databaseId, user: review.author, state: review.state, submitted_at: review.submittedAt }, review);
}

export function graphCommitRecord(repo: string, commit: GraphHistoryCommit) {
  return commitRecord(
    repo,
    commitFields(
      commit,
      commit.parents.nodes.map((parent) => parent.oid),
    ),
    commit,
  );
}

/**
 * A deployment's `ref` as REST gives it: the branch or tag name, or — when GraphQL has no ref
 * (a deployment of a sha, or of a branch deleted since) — the deployed commit's sha.
 */
export function graphDeploymentFields(node: GraphDeployment): DeploymentFields {
  return {
    id: node.databaseId,
    sha: node.commitOid,
    ref: node.ref?.name ?? node.commitOid,
    environment: node.environment ?? node.originalEnvironment ?? "",
    created_at: node.createdAt,
  };
}

export function graphDeploymentRecord(repo: string, node: GraphDeployment, statuses: { state: string; createdAt: string }[]): DeploymentRecord | null {
  const raw = { ...node, statuses: { nodes: statuses } };
  return deploymentRecord(
    repo,
    graphDeploymentFields(node),
    statuses.map((status) => ({ state: status.state.toLowerCase(), created_at: status.createdAt })),
    raw,
  );
}

export function graphReleaseRecord(repo: string, release: GraphRelease) {
  return releaseRecord(
    repo,
    {
      id: release.databaseId,
      tag_name: release.tagName,
      name: release.name,
      html_url: release.url,
      draft: release.isDraft,
      prerelease: release.isPrerelease,
      published_at: release.publishedAt,
    },
    release,
  );
}

export function graphIssueRecord(repo: string, issue: GraphIssue, labels: string[]) {
  return issueRecord(
    repo,
    {
      number: issue.number,
      title: issue.title,
      html_url: issue.url,
      state: issue.state === "OPEN" ? "open" : "closed",
      state_reason: issue.stateReason?.toLowerCase() ?? null,
      labels,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
    },
    { ...issue, labels: { nodes: labels.map((name) => ({ name })) } },
  );
}
