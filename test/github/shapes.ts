/**
 * GitHub REST payloads for the fake server, in GitHub's own shapes: the repository, issue,
 * label, user and release objects are recorded real responses from @octokit/fixtures; pull
 * requests, commits, reviews, deployments and deployment statuses (which the fixtures lack)
 * follow the example responses of GitHub's OpenAPI description (@octokit/openapi).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export interface RecordedResponse {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string | number>;
  response: unknown;
}

/** A recorded scenario of @octokit/fixtures, e.g. "paginate-issues". */
export function recorded(scenario: string): RecordedResponse[] {
  const path = require.resolve(`@octokit/fixtures/scenarios/api.github.com/${scenario}/normalized-fixture.json`);
  return JSON.parse(readFileSync(path, "utf8")) as RecordedResponse[];
}

type Json = Record<string, unknown>;
const clone = <T>(value: T): T => structuredClone(value);

const recordedRepository = recorded("get-repository")[0]!.response as Json;
const recordedIssue = (recorded("paginate-issues")[0]!.response as Json[])[0]!;
const recordedRelease = recorded("release-assets")[0]!.response as Json;
const recordedLabel = (recorded("labels")[0]!.response as Json[])[0]!;
export const recordedUser = recordedIssue.user as Json;

const API = "https://api.github.com";

export function repositoryShape(fullName: string, defaultBranch: string): Json {
  const [owner, name] = fullName.split("/");
  return { ...clone(recordedRepository), name, full_name: fullName, owner: { ...clone(recordedUser), login: owner }, default_branch: defaultBranch, url: `${API}/repos/${fullName}` };
}

export function labelShape(repo: string, name: string): Json {
  return { ...clone(recordedLabel), name, url: `${API}/repos/${repo}/labels/${encodeURIComponent(name)}` };
}

export interface CommitFacts {
  sha: string;
  message: string;
  authoredAt: string;
  committedAt: string;
  parents: string[];
  author?: string;
}

/** GET /repos/{owner}/{repo}/commits item (OpenAPI "commit" example). */
export function commitShape(repo: string, c: CommitFacts): Json {
  const person = (date: string) => ({ name: c.author ?? "Monalisa Octocat", email: "support@github.com", date });
  return {
    url: `${API}/repos/${repo}/commits/${c.sha}`,
    sha: c.sha,
    node_id: "MDY6Q29tbWl0NmRjYjA5YjViNTc4NzVmMzM0ZjYxYWViZWQ2OTVlMmU0MTkzZGI1ZQ==",
    html_url: `https://github.com/${repo}/commit/${c.sha}`,
    comments_url: `${API}/repos/${repo}/commits/${c.sha}/comments`,
    commit: {
      url: `${API}/repos/${repo}/git/commits/${c.sha}`,
      author: person(c.authoredAt),
      committer: person(c.committedAt),
      message: c.message,
      tree: { url: `${API}/repos/${repo}/tree/${c.sha}`, sha: c.sha },
      comment_count: 0,
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    },
    author: clone(recordedUser),
    committer: clone(recordedUser),
    parents: c.parents.map((sha) => ({ url: `${API}/repos/${repo}/commits/${sha}`, sha })),
  };
}

export interface PullFacts {
  number: number;
  title: string;
  body?: string | null;
  headRef: string;
  headSha: string;
  baseRef: string;
  baseSha: string;
  labels: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  defaultBranch: string;
}

/** GET /repos/{owner}/{repo}/pulls item (OpenAPI "pull-request-simple" example). */
export function pullShape(repo: string, p: PullFacts): Json {
  const url = `${API}/repos/${repo}/pulls/${p.number}`;
  const side = (ref: string, sha: string) => ({ label: `${repo.split("/")[0]}:${ref}`, ref, sha, user: clone(recordedUser), repo: repositoryShape(repo, p.defaultBranch) });
  return {
    url,
    id: 1_000_000 + p.number,
    node_id: "MDExOlB1bGxSZXF1ZXN0MQ==",
    html_url: `https://github.com/${repo}/pull/${p.number}`,
    diff_url: `https://github.com/${repo}/pull/${p.number}.diff`,
    patch_url: `https://github.com/${repo}/pull/${p.number}.patch`,
    issue_url: `${API}/repos/${repo}/issues/${p.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${API}/repos/${repo}/pulls/comments{/number}`,
    comments_url: `${API}/repos/${repo}/issues/${p.number}/comments`,
    statuses_url: `${API}/repos/${repo}/statuses/${p.headSha}`,
    number: p.number,
    state: p.closedAt ? "closed" : "open",
    locked: false,
    title: p.title,
    user: clone(recordedUser),
    body: p.body ?? null,
    labels: p.labels.map((name) => labelShape(repo, name)),
    milestone: null,
    active_lock_reason: null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.closedAt,
    merged_at: p.mergedAt,
    merge_commit_sha: p.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(p.headRef, p.headSha),
    base: side(p.baseRef, p.baseSha),
    _links: { self: { href: url }, html: { href: `https://github.com/${repo}/pull/${p.number}` } },
    author_association: "MEMBER",
    auto_merge: null,
    draft: false,
  };
}

/** GET /repos/{owner}/{repo}/pulls/{n}/reviews item (OpenAPI "pull-request-review" example). */
export function reviewShape(repo: string, number: number, id: number, state: string, submittedAt: string, commitId: string): Json {
  return {
    id,
    node_id: "MDE3OlB1bGxSZXF1ZXN0UmV2aWV3ODA=",
    user: clone(recordedUser),
    body: "Here is the body for the review.",
    state,
    html_url: `https://github.com/${repo}/pull/${number}#pullrequestreview-${id}`,
    pull_request_url: `${API}/repos/${repo}/pulls/${number}`,
    _links: { html: { href: `https://github.com/${repo}/pull/${number}#pullrequestreview-${id}` }, pull_request: { href: `${API}/repos/${repo}/pulls/${number}` } },
    submitted_at: submittedAt,
    commit_id: commitId,
    author_association: "COLLABORATOR",
  };
}

/** GET /repos/{owner}/{repo}/deployments item (OpenAPI "deployment" example). */
export function deploymentShape(repo: string, d: { id: number; sha: string; ref: string; environment: string; createdAt: string }): Json {
  return {
    url: `${API}/repos/${repo}/deployments/${d.id}`,
    id: d.id,
    node_id: "MDEwOkRlcGxveW1lbnQx",
    sha: d.sha,
    ref: d.ref,
    task: "deploy",
    payload: {},
    original_environment: d.environment,
    environment: d.environment,
    description: "Deploy request from hubot",
    creator: clone(recordedUser),
    created_at: d.createdAt,
    updated_at: d.createdAt,
    statuses_url: `${API}/repos/${repo}/deployments/${d.id}/statuses`,
    repository_url: `${API}/repos/${repo}`,
    transient_environment: false,
    production_environment: d.environment === "production",
  };
}

/** GET /repos/{owner}/{repo}/deployments/{id}/statuses item (OpenAPI "deployment-status" example). */
export function deploymentStatusShape(repo: string, deploymentId: number, s: { id: number; state: string; createdAt: string; environment: string }): Json {
  return {
    url: `${API}/repos/${repo}/deployments/${deploymentId}/statuses/${s.id}`,
    id: s.id,
    node_id: "MDE2OkRlcGxveW1lbnRTdGF0dXMx",
    state: s.state,
    creator: clone(recordedUser),
    description: "Deployment finished successfully.",
    environment: s.environment,
    target_url: "https://example.com/deployment/42/output",
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: `${API}/repos/${repo}/deployments/${deploymentId}`,
    repository_url: `${API}/repos/${repo}`,
    environment_url: "",
    log_url: "https://example.com/deployment/42/output",
  };
}

export function releaseShape(repo: string, r: { id: number; tag: string; name?: string; draft: boolean; prerelease: boolean; createdAt: string; publishedAt: string | null }): Json {
  return {
    ...clone(recordedRelease),
    url: `${API}/repos/${repo}/releases/${r.id}`,
    html_url: `https://github.com/${repo}/releases/tag/${r.tag}`,
    id: r.id,
    tag_name: r.tag,
    name: r.name ?? r.tag,
    draft: r.draft,
    prerelease: r.prerelease,
    created_at: r.createdAt,
    published_at: r.publishedAt,
    assets: [],
  };
}

export interface IssueFacts {
  number: number;
  title: string;
  labels: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  stateReason: string | null;
  /** Markdown, as the issue's author wrote it; the recorded issue's when absent. */
  body?: string;
  /** The issues API lists pull requests too, with this key. */
  pullRequest?: boolean;
}

export function issueShape(repo: string, i: IssueFacts): Json {
  return {
    ...clone(recordedIssue),
    url: `${API}/repos/${repo}/issues/${i.number}`,
    repository_url: `${API}/repos/${repo}`,
    html_url: `https://github.com/${repo}/issues/${i.number}`,
    id: 2_000_000 + i.number,
    number: i.number,
    title: i.title,
    ...(i.body !== undefined && { body: i.body }),
    labels: i.labels.map((name) => labelShape(repo, name)),
    state: i.closedAt ? "closed" : "open",
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    state_reason: i.stateReason,
    ...(i.pullRequest && { pull_request: { url: `${API}/repos/${repo}/pulls/${i.number}`, merged_at: null } }),
  };
}

/**
 * GitHub Actions objects: the `workflow` and `workflow_run` of a recorded `workflow_run`
 * delivery (@octokit/webhooks-examples) — the same objects the REST API lists under
 * `/actions/workflows` and `/actions/workflows/{id}/runs`.
 */
const workflowRunDelivery = (() => {
  const index = JSON.parse(readFileSync(require.resolve("@octokit/webhooks-examples/api.github.com/index.json"), "utf8")) as { name: string; examples: Json[] }[];
  return index.find((event) => event.name === "workflow_run")!.examples.find((example) => example.action === "completed")!;
})();
const recordedWorkflow = workflowRunDelivery.workflow as Json;
const recordedWorkflowRun = workflowRunDelivery.workflow_run as Json;

export function workflowShape(repo: string, w: { id: number; name: string; path: string }): Json {
  return {
    ...clone(recordedWorkflow),
    id: w.id,
    name: w.name,
    path: w.path,
    url: `${API}/repos/${repo}/actions/workflows/${w.id}`,
    html_url: `https://github.com/${repo}/blob/main/${w.path}`,
  };
}

export function workflowRunShape(
  repo: string,
  w: { id: number; name: string; path: string },
  r: { id: number; headBranch: string | null; headSha: string; status: string; conclusion: string | null; runAttempt: number; runStartedAt: string; createdAt: string; updatedAt: string },
): Json {
  return {
    ...clone(recordedWorkflowRun),
    id: r.id,
    name: w.name,
    path: w.path,
    workflow_id: w.id,
    head_branch: r.headBranch,
    head_sha: r.headSha,
    status: r.status,
    conclusion: r.conclusion,
    run_attempt: r.runAttempt,
    run_started_at: r.runStartedAt,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    url: `${API}/repos/${repo}/actions/runs/${r.id}`,
    html_url: `https://github.com/${repo}/actions/runs/${r.id}`,
    workflow_url: `${API}/repos/${repo}/actions/workflows/${w.id}`,
  };
}
