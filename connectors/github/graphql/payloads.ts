/**
 * The answers to the connector's GraphQL queries (./queries.ts), as zod schemas. Objects are
 * loose like the REST payloads: a parsed node is the `raw` column as GitHub sent it.
 */
import { z } from "zod";

const instant = z.iso.datetime({ offset: true });
const rateLimit = z.object({ cost: z.number(), remaining: z.number(), resetAt: z.string() });
const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });

function connection<T extends z.ZodType>(node: T) {
  return z.looseObject({ pageInfo, nodes: z.array(node) });
}

const labels = connection(z.looseObject({ name: z.string() }));

export const graphCommit = z.looseObject({ oid: z.string(), message: z.string(), authoredDate: instant, committedDate: instant });
export type GraphCommit = z.infer<typeof graphCommit>;

export const graphReview = z.looseObject({
  databaseId: z.number().int(),
  author: z.looseObject({ login: z.string() }).nullable(),
  state: z.string(),
  submittedAt: instant.nullable(),
});
export type GraphReview = z.infer<typeof graphReview>;

const pullCommits = connection(z.looseObject({ commit: graphCommit }));
const pullReviews = connection(graphReview);

export const graphPull = z.looseObject({
  id: z.string(),
  number: z.number().int(),
  title: z.string(),
  body: z.string(),
  url: z.string(),
  createdAt: instant,
  updatedAt: instant,
  mergedAt: instant.nullable(),
  headRefName: z.string(),
  baseRefName: z.string(),
  mergeCommit: z.looseObject({ oid: z.string() }).nullable(),
  labels: labels.nullable(),
  commits: pullCommits,
  reviews: pullReviews.nullable(),
});
export type GraphPull = z.infer<typeof graphPull>;

const repository = <T extends z.ZodType>(inner: T) => z.object({ rateLimit, repository: inner.nullable() });

export const repositoryAnswer = repository(z.object({ nameWithOwner: z.string(), defaultBranchRef: z.object({ name: z.string() }).nullable() }));
export const pullRequestsAnswer = repository(z.object({ pullRequests: connection(graphPull) }));

const nodeAnswer = <T extends z.ZodType>(inner: T) => z.object({ rateLimit, node: inner.nullable() });
export const pullCommitsAnswer = nodeAnswer(z.object({ commits: pullCommits }).partial());
export const pullReviewsAnswer = nodeAnswer(z.object({ reviews: pullReviews.nullable() }).partial());
export const labelsAnswer = nodeAnswer(z.object({ labels: labels.nullable() }).partial());

export const graphHistoryCommit = graphCommit.extend({ parents: z.object({ nodes: z.array(z.object({ oid: z.string() })) }) });
export type GraphHistoryCommit = z.infer<typeof graphHistoryCommit>;
export const historyAnswer = repository(
  z.object({ ref: z.object({ target: z.object({ history: connection(graphHistoryCommit).optional() }).nullable() }).nullable() }),
);

const graphStatuses = connection(z.looseObject({ state: z.string(), createdAt: instant }));
export const graphDeployment = z.looseObject({
  id: z.string(),
  databaseId: z.number().int(),
  commitOid: z.string(),
  environment: z.string().nullable(),
  originalEnvironment: z.string().nullable(),
  createdAt: instant,
  ref: z.object({ name: z.string() }).nullable(),
  statuses: graphStatuses.nullable(),
});
export type GraphDeployment = z.infer<typeof graphDeployment>;
export const deploymentsAnswer = z.object({
  rateLimit,
  repository: z.object({ deployments: connection(graphDeployment) }).nullable(),
  // A deleted deployment is null; a node of another type would be {}.
  waiting: z.array(z.union([graphDeployment, z.object({}).strict()]).nullable()),
});
export const deploymentStatusesAnswer = nodeAnswer(z.object({ statuses: graphStatuses.nullable() }).partial());

export const graphRelease = z.looseObject({
  databaseId: z.number().int(),
  tagName: z.string(),
  name: z.string().nullable(),
  url: z.string(),
  isDraft: z.boolean(),
  isPrerelease: z.boolean(),
  createdAt: instant,
  publishedAt: instant.nullable(),
});
export type GraphRelease = z.infer<typeof graphRelease>;
export const releasesAnswer = repository(z.object({ releases: connection(graphRelease) }));

export const graphIssue = z.looseObject({
  id: z.string(),
  number: z.number().int(),
  title: z.string(),
  url: z.string(),
  state: z.enum(["OPEN", "CLOSED"]),
  stateReason: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
  closedAt: instant.nullable(),
  labels: labels.nullable(),
});
export type GraphIssue = z.infer<typeof graphIssue>;
export const issuesAnswer = repository(z.object({ issues: connection(graphIssue) }));

export const ownerRepositoriesAnswer = z.object({
  rateLimit,
  repositoryOwner: z.object({ repositories: connection(z.object({ nameWithOwner: z.string(), isArchived: z.boolean() })) }).nullable(),
});
