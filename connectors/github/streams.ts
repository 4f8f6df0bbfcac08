/**
 * The GitHub connector's streams (connectors/stream.ts), read for one repo each, in this
 * order: the repository (its default branch, which the pulls and commits streams need), pull
 * requests, default-branch commits, deployments, releases, issues. Each stream's first request
 * is conditional on its saved ETag: a 304 leaves its state as it was. They read newest first,
 * so they cannot checkpoint mid-way: the state is returned at the end and saved once every
 * page is stored; a stream that fails or is killed is read again from its old state
 * (docs/github.md, "Incremental").
 */
import { z } from "zod";
import { mark, remove, replace, UNCHANGED, upsert, type Stream } from "@/connectors/stream";
import { commits, deployments, pullRequestCommits, pullRequestReviews, pullRequests, releases, workItems } from "@/db/schema";
import { statusOf, type GitHubClient, type Listing } from "./client";
import type { GraphQLClient } from "./graphql/client";
import type { DeployWorkflow } from "./workflows";
import {
  commitPayload,
  comparePayload,
  deploymentPayload,
  deploymentStatusPayload,
  issuePayload,
  pullPayload,
  releasePayload,
  repositoryPayload,
  reviewPayload,
  type CommitPayload,
  type DeploymentPayload,
} from "./payloads";
import { commitRecord, deploymentExternalId, deploymentRecord, issueRecord, pullCommitRecord, pullRecord, releaseRecord, reviewRecord, SOURCE, type DeploymentRecord } from "./records";

/** What every stream of a run shares. */
export interface GitHubSession {
  client: GitHubClient;
  /**
   * The GraphQL client while the run reads through GraphQL (`sources.github.api: graphql`);
   * null with `api: rest`, and from the moment the server answered GraphQL with 404.
   */
  graphql: GraphQLClient | null;
  /** `sources.github.since` as an instant: nothing older is read. */
  since: string | null;
  /** The GitHub Actions workflows whose runs deploy, for a repo (connectors/github/workflows.ts). */
  workflows(repo: string): DeployWorkflow[];
  /**
   * The `owner/*` entries whose repositories could not be listed, with why: each is a partition
   * of its own that fails with that line, so the other repos are read (source.ts).
   */
  unlisted: Map<string, Error>;
}

/** A stream of one repo (`owner/name`). */
export type RepoStream<C> = Stream<string, GitHubSession, C>;

const PAGE = 100;
/** A deployment without a success status is asked again for its statuses for this long. */
export const OPEN_DEPLOYMENT_DAYS = 7;

export function route(repo: string) {
  const [owner, name] = repo.split("/") as [string, string];
  return { owner, repo: name };
}

export async function collect<T>(listing: Listing<T> | null): Promise<T[]> {
  const items: T[] = [];
  if (listing) for await (const page of listing.pages) items.push(...page);
  return items;
}

export function later(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a || !b) return a ?? b ?? null;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

// ---- repository ---------------------------------------------------------------------------

/** The repository itself: its default branch, and the first request that fails when the repo is gone. */
export const repositoryStream: RepoStream<{ default_branch: string }> = {
  name: "repo",
  cursor: z.object({ default_branch: z.string() }),
  async read({ partition: repo, session, state }) {
    const response = await session.client.get("/repos/{owner}/{repo}", route(repo), repositoryPayload, state?.cursor && state.etag);
    if (!response) return UNCHANGED;
    return { cursor: { default_branch: response.data.default_branch }, etag: response.etag };
  },
};

// ---- pull requests and issues: newest updated first, down to the cursor -------------------

export const updatedCursor = z.object({ updated_at: z.string() });

/**
 * Reads a listing sorted by `updated_at` descending until it reaches items older than the
 * cursor. Returns the newest `updated_at` seen: the next cursor. Items updated while we read
 * move to the first page and are newer than that cursor, so the next sync gets them.
 */
export async function readUpdatedSince<T>(
  pages: AsyncIterable<T[]>,
  floor: string | null,
  store: (fresh: T[]) => Promise<void>,
  updatedAt: (item: T) => string = (item) => (item as { updated_at: string }).updated_at,
): Promise<string | null> {
  let newest: string | null = null;
  for await (const page of pages) {
    const fresh = floor ? page.filter((item) => Date.parse(updatedAt(item)) >= Date.parse(floor)) : page;
    if (fresh.length) await store(fresh);
    for (const item of fresh) newest = later(newest, updatedAt(item));
    if (fresh.length < page.length) break;
  }
  return newest;
}

export function updatedState(updatedAt: string | null, etag: string | null) {
  return { cursor: updatedAt ? { updated_at: updatedAt } : null, etag };
}

/**
 * Pull requests; a page is stored with the commit list (replaced whole: commits force-pushed
 * away before the merge are not the PR's) and the reviews of each merged pull request in it.
 */
export const pullsStream: RepoStream<z.infer<typeof updatedCursor>> = {
  name: "pulls",
  cursor: updatedCursor,
  async read({ partition: repo, session: { client, since }, state, emit, upstream }) {
    const defaultBranch = upstream(repositoryStream).default_branch;
    const cursor = state?.cursor;
    const listing = await client.list(
      "/repos/{owner}/{repo}/pulls",
      { ...route(repo), state: "all", sort: "updated", direction: "desc", per_page: PAGE },
      pullPayload,
      state?.etag,
    );
    if (!listing) return UNCHANGED;
    const newest = await readUpdatedSince(listing.pages, later(cursor?.updated_at, since), async (pulls) => {
      // Only a merged pull request needs its commits (its start) and reviews; an open one is read again once it merges.
      const merged = pulls.filter((pull) => pull.merged_at !== null);
      const details = await Promise.all(
        merged.map(async (pull) => {
          const params = { ...route(repo), pull_number: pull.number, per_page: PAGE };
          const [commits, reviews] = await Promise.all([
            collect(await client.list("/repos/{owner}/{repo}/pulls/{pull_number}/commits", params, commitPayload)),
            collect(await client.list("/repos/{owner}/{repo}/pulls/{pull_number}/reviews", params, reviewPayload)),
          ]);
          return { number: pull.number, commits, reviews };
        }),
      );
      await emit([
        upsert(pullRequests, pulls.map((pull) => pullRecord(repo, pull, defaultBranch)), { key: `${repo}:pulls` }),
        ...details.map((d) =>
          replace(pullRequestCommits, { repo, number: d.number }, ["repo", "number", "sha"], d.commits.map((commit) => pullCommitRecord(repo, d.number, commit))),
        ),
        upsert(pullRequestReviews, details.flatMap((d) => d.reviews.map((review) => reviewRecord(repo, d.number, review)))),
      ]);
    });
    return updatedState(later(newest, cursor?.updated_at), listing.etag);
  },
};

export const issuesStream: RepoStream<z.infer<typeof updatedCursor>> = {
  name: "issues",
  cursor: updatedCursor,
  async read({ partition: repo, session: { client, since }, state, emit }) {
    const cursor = state?.cursor;
    const listing = await client.list(
      "/repos/{owner}/{repo}/issues",
      { ...route(repo), state: "all", sort: "updated", direction: "desc", per_page: PAGE, ...(since && { since }) },
      issuePayload,
      state?.etag,
    );
    if (!listing) return UNCHANGED;
    const newest = await readUpdatedSince(listing.pages, cursor?.updated_at ?? null, async (items) => {
      // The issues API lists pull requests too; they are read from the pulls stream.
      const issues = items.filter((item) => item.pull_request === undefined);
      if (issues.length) await emit([upsert(workItems, issues.map((issue) => issueRecord(repo, issue)), { key: `${repo}:issues` })]);
    });
    return updatedState(later(newest, cursor?.updated_at), listing.etag);
  },
};

// ---- default-branch commits ---------------------------------------------------------------

/**
 * The default branch's history with parents. The first request (page 1 of the branch's
 * commits) is conditional; when the head moved, the comparison old head...new head gives
 * exactly the new commits. When the old head is no longer in the branch's history (a force
 * push), the branch is read again in full and the commits that left it are marked so.
 */
export const commitsStream: RepoStream<{ head: string }> = {
  name: "commits",
  cursor: z.object({ head: z.string() }),
  async read({ partition: repo, session, state, emit, upstream }) {
    const { client, since } = session;
    const defaultBranch = upstream(repositoryStream).default_branch;
    const cursor = state?.cursor;
    let listing: Listing<CommitPayload> | null;
    try {
      listing = await client.list(
        "/repos/{owner}/{repo}/commits",
        { ...route(repo), sha: defaultBranch, per_page: PAGE, ...(since && { since }) },
        commitPayload,
        state?.etag,
      );
    } catch (error) {
      // GitHub answers 409 for a repository without any commit.
      if (statusOf(error) === 409) return { cursor: null, etag: null };
      throw error;
    }
    if (!listing) return UNCHANGED;
    const store = (page: CommitPayload[]) => emit([upsert(commits, page.map((commit) => commitRecord(repo, commit)), { key: `${repo}:commits` })]);
    const first = await listing.pages.next();
    const firstPage = first.done ? [] : first.value;
    const head = firstPage[0]?.sha;
    if (!head) return { cursor: null, etag: listing.etag };
    const next = { cursor: { head }, etag: listing.etag };
    if (cursor?.head === head) return next;
    if (cursor) {
      const added = await commitsAhead(client, repo, cursor.head, head);
      if (added) {
        await store(added);
        return next;
      }
    }
    const shas: string[] = [];
    for (let page: CommitPayload[] | undefined = firstPage; page; ) {
      await store(page);
      shas.push(...page.map((commit) => commit.sha));
      const more = await listing.pages.next();
      page = more.done ? undefined : more.value;
    }
    // Rewritten: exactly `shas` are on it now (at or after `since`, the oldest read). Commits that left it stay stored, unmarked.
    if (cursor) await emit([mark(commits, "onDefaultBranch", { source: SOURCE, repo, ...(since && { committedAt: { atLeast: since } }) }, "sha", shas)]);
    return next;
  },
};

/** The commits `head` has beyond `base`, or null when `head` does not descend from `base` (or `base` is gone). */
export async function commitsAhead(client: GitHubClient, repo: string, base: string, head: string): Promise<CommitPayload[] | null> {
  const commits: CommitPayload[] = [];
  for (let page = 1; ; page++) {
    let response;
    try {
      response = await client.get("/repos/{owner}/{repo}/compare/{basehead}", { ...route(repo), basehead: `${base}...${head}`, per_page: PAGE, page }, comparePayload);
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
    const comparison = response!.data;
    if (comparison.status !== "ahead") return comparison.status === "identical" ? [] : null;
    commits.push(...comparison.commits);
    if (comparison.commits.length === 0 || commits.length >= comparison.ahead_by) return commits;
  }
}

// ---- deployments --------------------------------------------------------------------------

const openDeployment = z.object({ etag: z.string().nullable(), deployment: deploymentPayload });
export const deploymentsCursor = z.object({ max_id: z.number(), newest_at: z.string().nullable(), open: z.array(openDeployment) });
export type OpenDeployment = z.infer<typeof openDeployment>;

/**
 * New deployments (ids above the cursor, newest first) with their statuses, then the
 * deployments still without a success, kept in the cursor with their statuses' ETag: their
 * statuses are asked again, conditionally, until they succeed or the repo has a deployment
 * OPEN_DEPLOYMENT_DAYS newer (a pending deployment that old was abandoned).
 */
export const deploymentsStream: RepoStream<z.infer<typeof deploymentsCursor>> = {
  name: "deployments",
  cursor: deploymentsCursor,
  async read({ partition: repo, session, state, emit }) {
    const cursor = state?.cursor ?? { max_id: 0, newest_at: null, open: [] };
    const store = (records: DeploymentRecord[], withdrawn: string[]) =>
      emit([
        upsert(deployments, records, { key: `${repo}:deployments` }),
        ...(withdrawn.length ? [remove(deployments, { source: SOURCE, externalId: { in: withdrawn } })] : []),
      ]);
    const listing = await session.client.list("/repos/{owner}/{repo}/deployments", { ...route(repo), per_page: PAGE }, deploymentPayload, state?.etag);
    const open: OpenDeployment[] = [];
    let { max_id: maxId, newest_at: newestAt } = cursor;
    if (listing) {
      for await (const page of listing.pages) {
        const fresh = page.filter((d) => d.id > cursor.max_id && (!session.since || Date.parse(d.created_at) >= Date.parse(session.since)));
        const polled = await Promise.all(fresh.map((deployment) => pollStatuses(session.client, repo, { deployment, etag: null })));
        await store(polled.flatMap((p) => (p.record ? [p.record] : [])), []);
        for (const p of polled) if (p.open) open.push(p.open);
        for (const d of fresh) [maxId, newestAt] = [Math.max(maxId, d.id), later(newestAt, d.created_at)];
        if (fresh.length < page.length) break;
      }
    }
    const cutoff = newestAt ? Date.parse(newestAt) - OPEN_DEPLOYMENT_DAYS * 86_400_000 : -Infinity;
    const waiting = cursor.open.filter((o) => Date.parse(o.deployment.created_at) >= cutoff);
    if (!listing && waiting.length === 0) return UNCHANGED;
    for (const previousOpen of waiting) {
      const polled = await pollStatuses(session.client, repo, previousOpen);
      if (polled.record || polled.withdrawn) await store(polled.record ? [polled.record] : [], polled.withdrawn ? [polled.withdrawn] : []);
      if (polled.open) open.push(polled.open);
    }
    const kept = open.filter((o) => Date.parse(o.deployment.created_at) >= cutoff);
    return { cursor: { max_id: maxId, newest_at: newestAt, open: kept }, etag: listing?.etag ?? state?.etag ?? null };
  },
};

interface Polled {
  record: DeploymentRecord | null;
  /** The deployment's record must go (it is pending again, or was deleted). */
  withdrawn: string | null;
  /** Still without a success: asked again next time. */
  open: OpenDeployment | null;
}

async function pollStatuses(client: GitHubClient, repo: string, { deployment, etag }: { deployment: DeploymentPayload; etag: string | null }): Promise<Polled> {
  const externalId = deploymentExternalId(repo, deployment.id);
  let listing;
  try {
    listing = await client.list(
      "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
      { ...route(repo), deployment_id: deployment.id, per_page: PAGE },
      deploymentStatusPayload,
      etag,
    );
  } catch (error) {
    if (statusOf(error) === 404) return { record: null, withdrawn: externalId, open: null };
    throw error;
  }
  if (!listing) return { record: null, withdrawn: null, open: { deployment, etag } };
  const statuses = await collect(listing);
  const record = deploymentRecord(repo, deployment, statuses);
  const succeeded = record?.status === "success";
  return {
    record,
    withdrawn: record || etag === null ? null : externalId,
    open: succeeded ? null : { deployment, etag: listing.etag },
  };
}

// ---- releases -----------------------------------------------------------------------------

/**
 * Releases can be edited anywhere in the list (a draft published, a pre-release promoted), so
 * whenever the first page changed the list is read again down to `since`. The ETag is the state.
 */
export const releasesStream: RepoStream<null> = {
  name: "releases",
  cursor: z.null(),
  async read({ partition: repo, session: { client, since }, state, emit }) {
    const listing = await client.list("/repos/{owner}/{repo}/releases", { ...route(repo), per_page: PAGE }, releasePayload, state?.etag);
    if (!listing) return UNCHANGED;
    for await (const page of listing.pages) {
      const fresh = since ? page.filter((release) => Date.parse(release.created_at) >= Date.parse(since)) : page;
      if (fresh.length) await emit([upsert(releases, fresh.map((release) => releaseRecord(repo, release)), { key: `${repo}:releases` })]);
      if (fresh.length < page.length) break;
    }
    return { cursor: null, etag: listing.etag };
  },
};

/** The streams of one repo, in the order they run. */
export const repoStreams = [repositoryStream, pullsStream, commitsStream, deploymentsStream, releasesStream, issuesStream] as const;
