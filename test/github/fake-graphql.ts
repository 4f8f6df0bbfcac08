/**
 * The local GitHub's GraphQL endpoint (POST /graphql), answering from the same repositories as
 * its REST API (fake-github.ts). It executes queries with graphql-js against GitHub's published
 * schema (@octokit/graphql-schema), so a query GitHub would refuse fails here too — an unknown
 * field, a missing `first`, `first` over 100 — with GitHub's error shapes. It charges each query
 * by GitHub's documented formula (one request per connection, times the `first`/`last` of the
 * connections around it, summed, divided by 100 and rounded; at least 1 point) against a
 * budget of 5,000 points an hour, and answers `RATE_LIMITED` when a query costs more than is left.
 */
import { schema as publishedSchema } from "@octokit/graphql-schema";
import {
  buildClientSchema,
  execute,
  getNamedType,
  GraphQLError,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  validate,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type IntrospectionQuery,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { FakeRepo } from "./fake-github";
import { recordedUser, type CommitFacts } from "./shapes";

let cachedSchema: GraphQLSchema | undefined;

/** GitHub's public schema, built once per test process (~0.7 s). */
export function githubSchema(): GraphQLSchema {
  cachedSchema ??= buildClientSchema(publishedSchema.json as IntrospectionQuery);
  return cachedSchema;
}

export interface GraphQLRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName: string;
  /** For the request log and fault matching: "PullRequests acme/big first=50 after=-". */
  describe: string;
}

export function readGraphQLRequest(body: string): GraphQLRequest {
  let parsed: { query?: unknown; variables?: unknown } = {};
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    // An unparsable body is answered as GitHub does: a "Problems parsing JSON" error below.
  }
  const query = typeof parsed.query === "string" ? parsed.query : "";
  const variables = (parsed.variables ?? {}) as Record<string, unknown>;
  const operationName = /\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "anonymous";
  const subject = variables.owner && variables.name ? `${String(variables.owner)}/${String(variables.name)}` : String(variables.id ?? variables.owner ?? "-");
  const describe = `${operationName} ${subject} first=${String(variables.first ?? "-")} after=${String(variables.after ?? "-")}`;
  return { query, variables, operationName, describe };
}

export interface GraphQLAnswer {
  status: number;
  body: unknown;
  cost: number;
}

/** The fake's points: 5,000 an hour; tests may lower what is left and bring the reset near. */
export class PointBudget {
  limit = 5000;
  remaining = 5000;
  resetAt = Date.now() + 3_600_000;
  spent = 0;

  refresh() {
    if (Date.now() >= this.resetAt) [this.remaining, this.resetAt] = [this.limit, Date.now() + 3_600_000];
  }
}

export interface GraphQLData {
  repos: Map<string, FakeRepo>;
  budget: PointBudget;
}

export function answerGraphQL(data: GraphQLData, request: GraphQLRequest): GraphQLAnswer {
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return { status: 200, cost: 0, body: { errors: [{ message: (error as Error).message, locations: (error as GraphQLError).locations }] } };
  }
  const schema = githubSchema();
  const invalid = validate(schema, document);
  if (invalid.length) return { status: 200, cost: 0, body: { errors: invalid.map((e) => ({ message: e.message, locations: e.locations, extensions: { code: "undefinedField" } })) } };
  const limits = measure(schema, document, request.variables);
  if (limits.error) return { status: 200, cost: 0, body: { errors: [limits.error] } };
  const { budget } = data;
  budget.refresh();
  if (limits.cost > budget.remaining) {
    return { status: 200, cost: 0, body: { errors: [{ type: "RATE_LIMITED", message: "API rate limit already exceeded for user ID 1." }] } };
  }
  budget.remaining -= limits.cost;
  budget.spent += limits.cost;
  const rateLimit = { cost: limits.cost, limit: budget.limit, remaining: budget.remaining, used: budget.limit - budget.remaining, resetAt: iso(budget.resetAt), nodeCount: limits.nodes };
  const result = execute({ schema, document, rootValue: rootValue(data, rateLimit), variableValues: request.variables }) as { data?: unknown; errors?: readonly GraphQLError[] };
  const errors = result.errors?.map((error) => ({
    ...(error.extensions?.type ? { type: error.extensions.type } : {}),
    path: error.path,
    locations: error.locations,
    message: error.message,
  }));
  return { status: 200, cost: limits.cost, body: { data: result.data ?? null, ...(errors?.length && { errors }) } };
}

// ---- cost and limits ----------------------------------------------------------------------

interface Measured {
  cost: number;
  nodes: number;
  error?: { type: string; message: string };
}

/**
 * GitHub's rules before a query runs: every connection needs `first` or `last` of 1–100, at
 * most 500,000 nodes, and the cost — each connection one request per item of the connections
 * around it; the sum over 100, rounded, at least 1.
 */
export function measure(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): Measured {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  let requests = 0;
  let nodes = 0;
  let error: Measured["error"];
  const walk = (set: SelectionSetNode | undefined, type: GraphQLNamedType, multiplier: number) => {
    if (!set || error) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value)!;
        walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value)!, multiplier);
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value)! : type, multiplier);
        continue;
      }
      if (!(isObjectType(type) || isInterfaceType(type))) continue;
      const field = type.getFields()[selection.name.value];
      if (!field) continue;
      const fieldType = getNamedType(field.type);
      const args = Object.fromEntries((selection.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, variables)]));
      if (fieldType.name.endsWith("Connection")) {
        const size = (args.first ?? args.last) as number | undefined | null;
        if (size === undefined || size === null) {
          error = { type: "MISSING_PAGINATION_BOUNDARIES", message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${selection.name.value}\` connection.` };
          return;
        }
        if (size < 1 || size > 100) {
          error = { type: "EXCESSIVE_PAGINATION", message: `Requesting ${size} records on the \`${selection.name.value}\` connection exceeds the \`${args.first !== undefined ? "first" : "last"}\` limit of 100 records.` };
          return;
        }
        requests += multiplier;
        nodes += multiplier * size;
        walk(selection.selectionSet, fieldType, multiplier * size);
      } else {
        // `nodes(ids: [...])` fetches one object per id.
        const ids = Array.isArray(args.ids) ? Math.max(args.ids.length, 1) : 1;
        walk(selection.selectionSet, fieldType, multiplier * ids);
      }
    }
  };
  walk(operation.selectionSet, schema.getQueryType()!, 1);
  if (!error && nodes > 500_000) error = { type: "MAX_NODE_LIMIT_EXCEEDED", message: `This query requests up to ${nodes} possible nodes which exceeds the maximum limit of 500,000.` };
  return { cost: Math.max(1, Math.round(requests / 100)), nodes, error };
}

// ---- resolvers over the fake's repositories ------------------------------------------------

type Args = Record<string, unknown>;
type Node = Record<string, unknown>;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const decode = (id: string): unknown => {
  try {
    return JSON.parse(Buffer.from(id, "base64url").toString("utf8"));
  } catch {
    return null;
  }
};

/** A page of `items` by `first`/`after` (or `last`/`before`), with GitHub's pageInfo; cursors are offsets. */
function connection<T>(items: T[], args: Args, shape: (item: T) => Node) {
  const after = typeof args.after === "string" ? (decode(args.after) as number) + 1 : 0;
  const before = typeof args.before === "string" ? (decode(args.before) as number) : items.length;
  let [start, end] = [after, before];
  if (typeof args.first === "number") end = Math.min(end, start + args.first);
  else if (typeof args.last === "number") start = Math.max(start, end - args.last);
  const slice = items.slice(start, end).map(shape);
  return {
    totalCount: items.length,
    pageInfo: { hasNextPage: end < items.length, hasPreviousPage: start > 0, startCursor: slice.length ? encode(start) : null, endCursor: slice.length ? encode(end - 1) : null },
    nodes: slice,
    edges: slice.map((node, i) => ({ cursor: encode(start + i), node })),
  };
}

function ordered<T extends { createdAt: string; updatedAt?: string }>(items: T[], args: Args, tieBreak: (a: T, b: T) => number): T[] {
  const order = (args.orderBy ?? { field: "CREATED_AT", direction: "ASC" }) as { field: string; direction: string };
  const key = (item: T) => Date.parse(order.field === "UPDATED_AT" ? (item.updatedAt ?? item.createdAt) : item.createdAt);
  const sign = order.direction === "DESC" ? -1 : 1;
  return [...items].sort((a, b) => sign * (key(a) - key(b) || tieBreak(a, b)));
}

export function nodeId(type: string, repo: string, key: string | number): string {
  return encode([type, repo, key]);
}

function rootValue(data: GraphQLData, rateLimit: Node): Node {
  const repository = (owner: string, name: string) => {
    const repo = data.repos.get(`${owner}/${name}`);
    if (!repo || repo.gone) {
      throw new GraphQLError(`Could not resolve to a Repository with the name '${owner}/${name}'.`, { extensions: { type: "NOT_FOUND" } });
    }
    return repositoryNode(repo);
  };
  const byId = (id: string): Node | null => {
    const [type, name, key] = (decode(id) as [string, string, string | number] | null) ?? [];
    const repo = name ? data.repos.get(name) : undefined;
    if (!repo || repo.gone) return null;
    if (type === "PullRequest") {
      const pull = repo.pulls.get(key as number);
      return pull ? pullNode(repo, pull) : null;
    }
    if (type === "Issue") {
      const issue = repo.issues.find((i) => i.number === key);
      return issue ? issueNode(repo, issue) : null;
    }
    if (type === "Deployment") {
      const deployment = repo.deployments.find((d) => d.id === key);
      return deployment ? deploymentNode(repo, deployment) : null;
    }
    return null;
  };
  return {
    rateLimit: () => rateLimit,
    repository: ({ owner, name }: Args) => repository(owner as string, name as string),
    repositoryOwner: ({ login }: Args) => {
      const owned = [...data.repos.values()].filter((r) => r.name.split("/")[0] === login);
      if (owned.length === 0) return null;
      return {
        __typename: "Organization",
        login,
        repositories: (args: Args) => {
          const listed = owned.filter((r) => args.isArchived === undefined || args.isArchived === null || r.archived === args.isArchived).sort((a, b) => a.name.localeCompare(b.name));
          return connection(listed, args, (r) => ({ __typename: "Repository", nameWithOwner: r.name, name: r.name.split("/")[1], isArchived: r.archived }));
        },
      };
    },
    node: ({ id }: Args) => byId(id as string),
    nodes: ({ ids }: Args) => (ids as string[]).map(byId),
  };
}

function repositoryNode(repo: FakeRepo): Node {
  const refNode = (branch: string): Node | null => {
    const head = repo.branches.get(branch);
    return head ? { __typename: "Ref", id: nodeId("Ref", repo.name, branch), name: branch, prefix: "refs/heads/", target: commitNode(repo, head) } : null;
  };
  return {
    __typename: "Repository",
    id: nodeId("Repository", repo.name, 0),
    name: repo.name.split("/")[1],
    nameWithOwner: repo.name,
    isArchived: repo.archived,
    defaultBranchRef: () => refNode(repo.defaultBranch),
    ref: ({ qualifiedName }: Args) => refNode(String(qualifiedName).replace(/^refs\/heads\//, "")),
    pullRequests: (args: Args) => connection(ordered([...repo.pulls.values()], args, (a, b) => a.number - b.number), args, (p) => pullNode(repo, p)),
    deployments: (args: Args) => connection(ordered(repo.deployments, args, (a, b) => a.id - b.id), args, (d) => deploymentNode(repo, d)),
    releases: (args: Args) => connection(ordered(repo.releases, args, (a, b) => a.id - b.id), args, (r) => releaseNode(repo, r)),
    issues: (args: Args) => {
      const since = (args.filterBy as { since?: string } | undefined)?.since;
      const issues = repo.issues.filter((i) => !since || Date.parse(i.updatedAt) >= Date.parse(since));
      return connection(ordered(issues, args, (a, b) => a.number - b.number), args, (i) => issueNode(repo, i));
    },
  };
}

function commitNode(repo: FakeRepo, sha: string): Node {
  const facts = repo.commits.get(sha) as CommitFacts;
  return {
    __typename: "Commit",
    id: nodeId("Commit", repo.name, sha),
    oid: sha,
    message: facts.message,
    authoredDate: facts.authoredAt,
    committedDate: facts.committedAt,
    parents: (args: Args) => connection(facts.parents, args, (parent) => commitNode(repo, parent)),
    history: (args: Args) => {
      const since = typeof args.since === "string" ? Date.parse(args.since) : -Infinity;
      const history = repo.history(sha).filter((c) => Date.parse(c.committedAt) >= since);
      return connection(history, args, (c) => commitNode(repo, c.sha));
    },
  };
}

type Pull = FakeRepo["pulls"] extends Map<number, infer P> ? P : never;

function labelNode(repo: FakeRepo, name: string): Node {
  return { __typename: "Label", id: nodeId("Label", repo.name, name), name };
}

function pullNode(repo: FakeRepo, pull: Pull): Node {
  return {
    __typename: "PullRequest",
    id: nodeId("PullRequest", repo.name, pull.number),
    number: pull.number,
    title: pull.title,
    body: pull.body ?? "",
    url: `https://github.com/${repo.name}/pull/${pull.number}`,
    state: pull.mergedAt ? "MERGED" : pull.closedAt ? "CLOSED" : "OPEN",
    createdAt: pull.createdAt,
    updatedAt: pull.updatedAt,
    closedAt: pull.closedAt,
    mergedAt: pull.mergedAt,
    headRefName: pull.headRef,
    baseRefName: pull.baseRef,
    headRefOid: pull.headSha,
    baseRefOid: pull.baseSha,
    mergeCommit: pull.mergedAt && pull.mergeCommitSha ? commitNode(repo, pull.mergeCommitSha) : null,
    labels: (args: Args) => connection(pull.labels, args, (name) => labelNode(repo, name)),
    commits: (args: Args) => connection(pull.commits, args, (sha) => ({ __typename: "PullRequestCommit", id: nodeId("PullRequestCommit", repo.name, sha), commit: commitNode(repo, sha) })),
    reviews: (args: Args) =>
      connection(pull.reviews, args, (r) => ({
        __typename: "PullRequestReview",
        id: nodeId("PullRequestReview", repo.name, r.id),
        databaseId: r.id,
        author: { __typename: "User", login: recordedUser.login },
        state: r.state,
        submittedAt: r.at,
      })),
  };
}

function deploymentNode(repo: FakeRepo, d: FakeRepo["deployments"][number]): Node {
  const head = repo.branches.get(d.ref);
  return {
    __typename: "Deployment",
    id: nodeId("Deployment", repo.name, d.id),
    databaseId: d.id,
    commitOid: d.sha,
    environment: d.environment,
    originalEnvironment: d.environment,
    createdAt: d.createdAt,
    updatedAt: d.createdAt,
    task: "deploy",
    ref: head ? { __typename: "Ref", id: nodeId("Ref", repo.name, d.ref), name: d.ref, prefix: "refs/heads/", target: commitNode(repo, head) } : null,
    statuses: (args: Args) =>
      connection([...d.statuses].reverse(), args, (s) => ({ __typename: "DeploymentStatus", id: nodeId("DeploymentStatus", repo.name, s.id), state: s.state.toUpperCase(), createdAt: s.createdAt })),
  };
}

function releaseNode(repo: FakeRepo, r: FakeRepo["releases"][number]): Node {
  return {
    __typename: "Release",
    id: nodeId("Release", repo.name, r.id),
    databaseId: r.id,
    tagName: r.tag,
    name: r.tag,
    url: `https://github.com/${repo.name}/releases/tag/${r.tag}`,
    isDraft: r.draft,
    isPrerelease: r.prerelease,
    createdAt: r.createdAt,
    publishedAt: r.publishedAt,
  };
}

function issueNode(repo: FakeRepo, i: FakeRepo["issues"][number]): Node {
  return {
    __typename: "Issue",
    id: nodeId("Issue", repo.name, i.number),
    number: i.number,
    title: i.title,
    url: `https://github.com/${repo.name}/issues/${i.number}`,
    state: i.closedAt ? "CLOSED" : "OPEN",
    stateReason: i.stateReason ? i.stateReason.toUpperCase() : null,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    closedAt: i.closedAt,
    labels: (args: Args) => connection(i.labels, args, (name) => labelNode(repo, name)),
  };
}
