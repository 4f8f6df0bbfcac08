/**
 * The `github` source (docs/github.md): every configured repo is a partition (`owner/*` names
 * every repo of an owner), read stream by stream — through GraphQL by default, through REST
 * with `api: rest` or when the server answers GraphQL with 404 (an old GitHub Enterprise, a
 * proxy), which the run says once. After a repo's streams the enrichers link what was stored.
 */
import { GraphqlResponseError } from "@octokit/graphql";
import Bottleneck from "bottleneck";
import type { Source } from "@/connectors/stream";
import { describeFailure, GitHubClient, type ClientOptions } from "./client";
import { enrichRepo } from "./enrichers";
import { GraphQLClient, isGraphQLMissing, type GraphQLOptions } from "./graphql/client";
import { graphCommitsStream, graphDeploymentsStream, graphIssuesStream, graphPullsStream, graphReleasesStream, graphRepositoryStream, RepositoryNotFoundError } from "./graphql/streams";
import { SOURCE } from "./records";
import { listRepos, OwnerListingError, type RepoListing } from "./repos";
import { commitsStream, deploymentsStream, issuesStream, pullsStream, releasesStream, repositoryStream, type GitHubSession, type RepoStream } from "./streams";
import { workflowRunsStream, type DeployWorkflow } from "./workflows";

/** What the connector reads of `sources.github`. */
export interface GitHubSettings {
  base_url: string;
  token: string;
  since?: string;
  api?: "graphql" | "rest";
  workflows?: DeployWorkflow[];
}

/** What it reads of a project. */
export interface GitHubProject {
  github?: { repos: string[]; workflows?: DeployWorkflow[] };
}

/** Every repo entry of every project (`owner/name` or `owner/*`), once, in the order the configuration names them. */
export function configuredRepos(projects: GitHubProject[]): string[] {
  return [...new Set(projects.flatMap((project) => project.github?.repos ?? []))];
}

/** Whether a project's `github.repos` entry names `repo`: itself, or its owner's `owner/*` (GitHub's names ignore letter case). */
export function namesRepo(entry: string, repo: string): boolean {
  const [e, r] = [entry.toLowerCase(), repo.toLowerCase()];
  return e === r || (e.endsWith("/*") && r.startsWith(e.slice(0, -1)));
}

/**
 * The deploy workflows of a repo: those of the first project naming it that sets its own
 * `github.workflows`, else the source's `workflows`.
 */
export function workflowsOf(repo: string, settings: GitHubSettings, projects: GitHubProject[]): DeployWorkflow[] {
  const own = projects.find((project) => project.github?.workflows && project.github.repos.some((entry) => namesRepo(entry, repo)));
  return own?.github?.workflows ?? settings.workflows ?? [];
}

export interface GitHubTuning extends Pick<ClientOptions, "retryAfterBaseValue">, Pick<GraphQLOptions, "queryTimeoutMs"> {
  /**
   * Milliseconds between two GraphQL queries. The throttling plugin spaces them 1 s apart (its
   * write limiter, which GraphQL goes through: GitHub asks clients not to send queries at once);
   * tests and the benchmark shorten it.
   */
  graphqlSpacingMs?: number;
}

/**
 * One stream read through GraphQL while the session has it, else through REST. A 404 to the
 * first GraphQL query (no /graphql there) switches the whole run to REST, said once; the
 * streams share names and cursors, so the REST read goes on from the same state.
 */
function byApi<C>(rest: RepoStream<C>, graphql: RepoStream<C>): RepoStream<C> {
  return {
    name: rest.name,
    cursor: rest.cursor,
    async read(run) {
      if (!run.session.graphql) return rest.read(run);
      try {
        return await graphql.read(run);
      } catch (error) {
        if (!isGraphQLMissing(error)) throw error;
        run.session.graphql = null;
        run.log(`GitHub answered 404 to GraphQL (${(error as { request?: { url?: string } }).request?.url}): reading through the REST API for the rest of this run (sources.github.api: rest skips the try)`);
        return rest.read(run);
      }
    },
  };
}

/** The first stream of a partition: an `owner/*` entry that could not be listed fails here, with its line. */
function listedFirst<C>(stream: RepoStream<C>): RepoStream<C> {
  return {
    ...stream,
    read(run) {
      const failure = run.session.unlisted.get(run.partition);
      if (failure) throw failure;
      return stream.read(run);
    },
  };
}

export const githubStreams = [
  listedFirst(byApi(repositoryStream, graphRepositoryStream)),
  byApi(pullsStream, graphPullsStream),
  byApi(commitsStream, graphCommitsStream),
  byApi(deploymentsStream, graphDeploymentsStream),
  byApi(releasesStream, graphReleasesStream),
  byApi(issuesStream, graphIssuesStream),
  workflowRunsStream,
] as const;

/** The source; `tuning` shortens rate-limit waits, backoff, query timeouts and query spacing in tests. */
export function githubSource(tuning: GitHubTuning = {}): Source<string, GitHubSession, GitHubSettings, GitHubProject> {
  return {
    title: "GitHub",
    records: SOURCE,
    origin: (settings) => settings.base_url,
    async open({ settings, projects, log, requests }) {
      const write = tuning.graphqlSpacingMs === undefined ? {} : { write: new Bottleneck.Group({ maxConcurrent: 1, minTime: tuning.graphqlSpacingMs }) };
      const client = new GitHubClient({ baseUrl: settings.base_url, token: settings.token, log, countRequest: requests.add, retryAfterBaseValue: tuning.retryAfterBaseValue, throttle: write });
      const graphql = (settings.api ?? "graphql") === "graphql" ? new GraphQLClient(client, { log, retryAfterBaseValue: tuning.retryAfterBaseValue, queryTimeoutMs: tuning.queryTimeoutMs }) : null;
      return {
        client,
        graphql,
        since: settings.since ? `${settings.since}T00:00:00Z` : null,
        workflows: (repo: string) => workflowsOf(repo, settings, projects),
        unlisted: new Map(),
      };
    },
    async partitions({ projects, log }, session) {
      const entries = configuredRepos(projects);
      const named = entries.filter((entry) => !entry.endsWith("/*"));
      const repos = new Set<string>(named);
      for (const entry of entries.filter((e) => e.endsWith("/*"))) {
        const owner = entry.slice(0, -2);
        let listing: RepoListing;
        try {
          listing = await listRepos(session, owner);
        } catch (error) {
          if (!(error instanceof OwnerListingError)) throw error;
          session.unlisted.set(entry, error);
          repos.add(entry);
          continue;
        }
        // Archived repositories are left out unless a project names them; one named is read under its configured spelling.
        const isNamed = (repo: string) => named.some((name) => namesRepo(name, repo));
        const kept = listing.repos.filter((r) => !r.archived || isNamed(r.name));
        log(`${entry}: ${kept.length} repositories${listing.repos.length > kept.length ? ` (${listing.repos.length - kept.length} archived left out)` : ""}`);
        for (const repo of kept) if (!isNamed(repo.name)) repos.add(repo.name);
      }
      return [...repos];
    },
    key: (repo) => repo,
    streams: githubStreams,
    afterPartition: (store, repo) => enrichRepo(store, repo),
    describeFailure: (error) => ({ message: describeGitHubFailure(error) }),
    budget: ({ client }) => {
      if (!client.rateLimit) return null;
      const { remaining, resource } = client.rateLimit;
      return `${remaining.toLocaleString("en-US")} ${resource === "graphql" ? "points" : "requests"} left`;
    },
  };
}

/** One line for a failure: GraphQL's own errors in GitHub's words, the rest as on the REST path. */
function describeGitHubFailure(error: unknown): string {
  if (error instanceof OwnerListingError) return error.message;
  if (error instanceof RepositoryNotFoundError) return `not found (GraphQL): ${error.message} The repository does not exist or the token cannot read it`;
  if (error instanceof GraphqlResponseError) {
    const [first] = error.errors ?? [];
    const type = (first as { type?: string } | undefined)?.type;
    if (type === "NOT_FOUND") return `not found (GraphQL NOT_FOUND): ${first!.message} The repository does not exist or the token cannot read it`;
    return `GitHub GraphQL error${type ? ` ${type}` : ""}: ${first?.message ?? error.message}`;
  }
  return describeFailure(error);
}
