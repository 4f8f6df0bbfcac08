/**
 * Every GraphQL query the connector sends (test/github/graphql-schema.test.ts validates each
 * against GitHub's published schema, so a typo in a field fails CI). Costs by GitHub's formula
 * (one request per connection, times the `first` of the connections around it, divided by 100):
 * a page of 100 pull requests with their commits, reviews and labels is 1 + 3 × 100 = 301
 * requests = 3 points; a page of 100 default-branch commits with their parents 1 point.
 */

export interface GraphQLQuery {
  /** The operation's name (log lines, page sizes, costs). */
  name: string;
  text: string;
  /** The first page size; the client learns from there (connectors/github/graphql/client.ts). */
  startAt?: number;
}

const RATE = `rateLimit { cost remaining resetAt }`;
const PAGE_INFO = `pageInfo { hasNextPage endCursor }`;

const COMMIT_FIELDS = `oid message authoredDate committedDate`;
const PULL_COMMITS = `commits(first: 100) { ${PAGE_INFO} nodes { commit { ${COMMIT_FIELDS} } } }`;
const PULL_REVIEWS = `reviews(first: 100) { ${PAGE_INFO} nodes { databaseId author { login } state submittedAt } }`;
const LABELS = `labels(first: 100) { ${PAGE_INFO} nodes { name } }`;
const DEPLOYMENT_STATUSES = `statuses(first: 100) { ${PAGE_INFO} nodes { state createdAt } }`;

const PULL_FIELDS = `fragment PullRequestFields on PullRequest {
  id number title body url createdAt updatedAt mergedAt headRefName baseRefName
  mergeCommit { oid }
  ${LABELS}
  ${PULL_COMMITS}
  ${PULL_REVIEWS}
}`;

const DEPLOYMENT_FIELDS = `fragment DeploymentFields on Deployment {
  id databaseId commitOid environment originalEnvironment createdAt
  ref { name }
  ${DEPLOYMENT_STATUSES}
}`;

export const repositoryQuery: GraphQLQuery = {
  name: "Repository",
  text: `query Repository($owner: String!, $name: String!) {
  ${RATE}
  repository(owner: $owner, name: $name) { nameWithOwner defaultBranchRef { name } }
}`,
};

/** Pull requests, newest updated first. Heavy (three nested lists a pull request): starts at 50. */
export const pullRequestsQuery: GraphQLQuery = {
  name: "PullRequests",
  startAt: 50,
  text: `query PullRequests($owner: String!, $name: String!, $first: Int!, $after: String) {
  ${RATE}
  repository(owner: $owner, name: $name) {
    pullRequests(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      ${PAGE_INFO}
      nodes { ...PullRequestFields }
    }
  }
}
${PULL_FIELDS}`,
};

/** The rest of a pull request's commits, reviews or labels past the first 100. */
export const pullCommitsQuery: GraphQLQuery = {
  name: "PullRequestCommits",
  text: `query PullRequestCommits($id: ID!, $first: Int!, $after: String) {
  ${RATE}
  node(id: $id) { ... on PullRequest { commits(first: $first, after: $after) { ${PAGE_INFO} nodes { commit { ${COMMIT_FIELDS} } } } } }
}`,
};

export const pullReviewsQuery: GraphQLQuery = {
  name: "PullRequestReviews",
  text: `query PullRequestReviews($id: ID!, $first: Int!, $after: String) {
  ${RATE}
  node(id: $id) { ... on PullRequest { reviews(first: $first, after: $after) { ${PAGE_INFO} nodes { databaseId author { login } state submittedAt } } } }
}`,
};

/** The rest of a pull request's or an issue's labels. */
export const labelsQuery: GraphQLQuery = {
  name: "Labels",
  text: `query Labels($id: ID!, $first: Int!, $after: String) {
  ${RATE}
  node(id: $id) { ... on Labelable { labels(first: $first, after: $after) { ${PAGE_INFO} nodes { name } } } }
}`,
};

/** The default branch's history, newest first, with each commit's parents. */
export const historyQuery: GraphQLQuery = {
  name: "BranchHistory",
  text: `query BranchHistory($owner: String!, $name: String!, $branch: String!, $first: Int!, $after: String, $since: GitTimestamp) {
  ${RATE}
  repository(owner: $owner, name: $name) {
    ref(qualifiedName: $branch) {
      target {
        ... on Commit {
          history(first: $first, after: $after, since: $since) {
            ${PAGE_INFO}
            nodes { ${COMMIT_FIELDS} parents(first: 100) { nodes { oid } } }
          }
        }
      }
    }
  }
}`,
};

/**
 * Deployments, newest first, with their statuses; `waiting` re-reads the deployments still
 * without a success (by node id) in the same query.
 */
export const deploymentsQuery: GraphQLQuery = {
  name: "Deployments",
  text: `query Deployments($owner: String!, $name: String!, $first: Int!, $after: String, $waiting: [ID!]!) {
  ${RATE}
  repository(owner: $owner, name: $name) {
    deployments(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      ${PAGE_INFO}
      nodes { ...DeploymentFields }
    }
  }
  waiting: nodes(ids: $waiting) { ... on Deployment { ...DeploymentFields } }
}
${DEPLOYMENT_FIELDS}`,
};

export const deploymentStatusesQuery: GraphQLQuery = {
  name: "DeploymentStatuses",
  text: `query DeploymentStatuses($id: ID!, $first: Int!, $after: String) {
  ${RATE}
  node(id: $id) { ... on Deployment { statuses(first: $first, after: $after) { ${PAGE_INFO} nodes { state createdAt } } } }
}`,
};

export const releasesQuery: GraphQLQuery = {
  name: "Releases",
  text: `query Releases($owner: String!, $name: String!, $first: Int!, $after: String) {
  ${RATE}
  repository(owner: $owner, name: $name) {
    releases(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      ${PAGE_INFO}
      nodes { databaseId tagName name url isDraft isPrerelease createdAt publishedAt }
    }
  }
}`,
};

/** Issues (GraphQL lists no pull requests among them), newest updated first. */
export const issuesQuery: GraphQLQuery = {
  name: "Issues",
  text: `query Issues($owner: String!, $name: String!, $first: Int!, $after: String, $since: DateTime) {
  ${RATE}
  repository(owner: $owner, name: $name) {
    issues(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }, filterBy: { since: $since }) {
      ${PAGE_INFO}
      nodes { id number title url state stateReason createdAt updatedAt closedAt ${LABELS} }
    }
  }
}`,
};

/** An owner's repositories, for `owner/*` in `github.repos`. */
export const ownerRepositoriesQuery: GraphQLQuery = {
  name: "OwnerRepositories",
  text: `query OwnerRepositories($owner: String!, $first: Int!, $after: String) {
  ${RATE}
  repositoryOwner(login: $owner) {
    repositories(first: $first, after: $after, orderBy: { field: NAME, direction: ASC }) {
      ${PAGE_INFO}
      nodes { nameWithOwner isArchived }
    }
  }
}`,
};

/** Every query, for the schema test. */
export const allQueries: GraphQLQuery[] = [
  repositoryQuery,
  pullRequestsQuery,
  pullCommitsQuery,
  pullReviewsQuery,
  labelsQuery,
  historyQuery,
  deploymentsQuery,
  deploymentStatusesQuery,
  releasesQuery,
  issuesQuery,
  ownerRepositoriesQuery,
];
