/**
 * The connector's streams, one per kind of record, each read incrementally for one repo.
 *
 * A stream gets its previous state (cursor and the ETag of its first request) and hands every
 * page of normalized records to the caller's `store`, which writes them before the next page
 * is read. It returns its new state — which the caller saves only after the stream finished —
 * or null when GitHub answered 304 and nothing changed. So a stream that fails or is killed
 * keeps its old state and is read again from there (docs/github.md, "Incremental").
 */
import { z } from "zod";
import { statusOf, type GitHubClient, type Listing } from "./client";
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
import {
  commitRecord,
  deploymentExternalId,
  deploymentRecord,
  issueRecord,
  pullCommitRecord,
  pullRecord,
  releaseRecord,
  reviewRecord,
  type CommitRecord,
  type DeploymentRecord,
  type PullCommitRecord,
  type PullRecord,
  type ReleaseRecord,
  type ReviewRecord,
  type WorkItemRecord,
} from "./records";

export interface StreamState {
  cursor: unknown;
  etag: string | null;
}

export interface RepoScope {
  client: GitHubClient;
  /** owner/name */
  repo: string;
  /** `sources.github.since` as an instant: nothing older is read. */
  since: string | null;
}

const PAGE = 100;
/** A deployment without a success status is asked again for its statuses for this long. */
export const OPEN_DEPLOYMENT_DAYS = 7;

function route(scope: RepoScope) {
  const [owner, repo] = scope.repo.split("/") as [string, string];
  return { owner, repo };
}

/** The stored cursor, or undefined when there is none or it has an older shape (then the stream reads from scratch). */
function cursorOf<S extends z.ZodType>(schema: S, state: StreamState | undefined): z.infer<S> | undefined {
  const parsed = schema.safeParse(state?.cursor);
  return parsed.success ? parsed.data : undefined;
}

async function collect<T>(listing: Listing<T> | null): Promise<T[]> {
  const items: T[] = [];
  if (listing) for await (const page of listing.pages) items.push(...page);
  return items;
}

function later(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a || !b) return a ?? b ?? null;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

// ---- repository ---------------------------------------------------------------------------

const repositoryCursor = z.object({ default_branch: z.string() });

/** The repository itself: its default branch, and the first request that fails when the repo is gone. */
export async function readRepository(scope: RepoScope, previous: StreamState | undefined): Promise<{ defaultBranch: string; state: StreamState | null }> {
  const known = cursorOf(repositoryCursor, previous);
  const response = await scope.client.get("/repos/{owner}/{repo}", route(scope), repositoryPayload, known && previous?.etag);
  if (!response) return { defaultBranch: known!.default_branch, state: null };
  return { defaultBranch: response.data.default_branch, state: { cursor: { default_branch: response.data.default_branch }, etag: response.etag } };
}

// ---- pull requests and issues: newest updated first, down to the cursor -------------------

const updatedCursor = z.object({ updated_at: z.string() });

/**
 * Reads a listing sorted by `updated_at` descending until it reaches items older than the
 * cursor. Returns the newest `updated_at` seen: the next cursor. Items updated while we read
 * move to the first page and are newer than that cursor, so the next sync gets them.
 */
async function readUpdatedSince<T extends { updated_at: string }>(
  listing: Listing<T>,
  floor: string | null,
  store: (fresh: T[]) => Promise<void>,
): Promise<string | null> {
  let newest: string | null = null;
  for await (const page of listing.pages) {
    const fresh = floor ? page.filter((item) => Date.parse(item.updated_at) >= Date.parse(floor)) : page;
    if (fresh.length) await store(fresh);
    for (const item of fresh) newest = later(newest, item.updated_at);
    if (fresh.length < page.length) break;
  }
  return newest;
}

export interface PullBatch {
  pulls: PullRecord[];
  /** The commit list of each merged pull request in `pulls`, by number. */
  commits: Map<number, PullCommitRecord[]>;
  reviews: ReviewRecord[];
}

export async function syncPulls(scope: RepoScope, defaultBranch: string, previous: StreamState | undefined, store: (batch: PullBatch) => Promise<void>): Promise<StreamState | null> {
  const cursor = cursorOf(updatedCursor, previous);
  const listing = await scope.client.list(
    "/repos/{owner}/{repo}/pulls",
    { ...route(scope), state: "all", sort: "updated", direction: "desc", per_page: PAGE },
    pullPayload,
    previous?.etag,
  );
  if (!listing) return null;
  const newest = await readUpdatedSince(listing, later(cursor?.updated_at, scope.since), async (pulls) => {
    // Only a merged pull request needs its commits (its start) and reviews; an open one is read again once it merges.
    const merged = pulls.filter((pull) => pull.merged_at !== null);
    const details = await Promise.all(
      merged.map(async (pull) => {
        const params = { ...route(scope), pull_number: pull.number, per_page: PAGE };
        const [commits, reviews] = await Promise.all([
          collect(await scope.client.list("/repos/{owner}/{repo}/pulls/{pull_number}/commits", params, commitPayload)),
          collect(await scope.client.list("/repos/{owner}/{repo}/pulls/{pull_number}/reviews", params, reviewPayload)),
        ]);
        return { number: pull.number, commits, reviews };
      }),
    );
    await store({
      pulls: pulls.map((pull) => pullRecord(scope.repo, pull, defaultBranch)),
      commits: new Map(details.map((d) => [d.number, d.commits.map((commit) => pullCommitRecord(scope.repo, d.number, commit))])),
      reviews: details.flatMap((d) => d.reviews.map((review) => reviewRecord(scope.repo, d.number, review))),
    });
  });
  return { cursor: updatedState(later(newest, cursor?.updated_at)), etag: listing.etag };
}

function updatedState(updatedAt: string | null): z.infer<typeof updatedCursor> | null {
  return updatedAt ? { updated_at: updatedAt } : null;
}

export async function syncIssues(scope: RepoScope, previous: StreamState | undefined, store: (issues: WorkItemRecord[]) => Promise<void>): Promise<StreamState | null> {
  const cursor = cursorOf(updatedCursor, previous);
  const listing = await scope.client.list(
    "/repos/{owner}/{repo}/issues",
    { ...route(scope), state: "all", sort: "updated", direction: "desc", per_page: PAGE, ...(scope.since && { since: scope.since }) },
    issuePayload,
    previous?.etag,
  );
  if (!listing) return null;
  const newest = await readUpdatedSince(listing, cursor?.updated_at ?? null, async (items) => {
    // The issues API lists pull requests too; they are read from the pulls stream.
    const issues = items.filter((item) => item.pull_request === undefined);
    if (issues.length) await store(issues.map((issue) => issueRecord(scope.repo, issue)));
  });
  return { cursor: updatedState(later(newest, cursor?.updated_at)), etag: listing.etag };
}

// ---- default-branch commits ---------------------------------------------------------------

const commitsCursor = z.object({ head: z.string() });

export interface CommitSink {
  commits: (records: CommitRecord[]) => Promise<void>;
  /** After a rewritten (force-pushed) branch was read in full: exactly these shas are on it. */
  history: (shas: string[]) => Promise<void>;
}

/**
 * The default branch's history with parents. The first request (page 1 of the branch's
 * commits) is conditional; when the head moved, the comparison old head...new head gives
 * exactly the new commits. When the old head is no longer in the branch's history (a force
 * push), the branch is read again in full and the commits that left it are marked so.
 */
export async function syncCommits(scope: RepoScope, defaultBranch: string, previous: StreamState | undefined, sink: CommitSink): Promise<StreamState | null> {
  const cursor = cursorOf(commitsCursor, previous);
  let listing: Listing<CommitPayload> | null;
  try {
    listing = await scope.client.list(
      "/repos/{owner}/{repo}/commits",
      { ...route(scope), sha: defaultBranch, per_page: PAGE, ...(scope.since && { since: scope.since }) },
      commitPayload,
      previous?.etag,
    );
  } catch (error) {
    // GitHub answers 409 for a repository without any commit.
    if (statusOf(error) === 409) return { cursor: null, etag: null };
    throw error;
  }
  if (!listing) return null;
  const first = await listing.pages.next();
  const firstPage = first.done ? [] : first.value;
  const head = firstPage[0]?.sha;
  if (!head) return { cursor: null, etag: listing.etag };
  const state = { cursor: { head }, etag: listing.etag };
  if (cursor?.head === head) return state;
  if (cursor) {
    const added = await commitsAhead(scope, cursor.head, head);
    if (added) {
      await sink.commits(added.map((commit) => commitRecord(scope.repo, commit)));
      return state;
    }
  }
  const shas: string[] = [];
  for (let page: CommitPayload[] | undefined = firstPage; page; ) {
    await sink.commits(page.map((commit) => commitRecord(scope.repo, commit)));
    shas.push(...page.map((commit) => commit.sha));
    const next = await listing.pages.next();
    page = next.done ? undefined : next.value;
  }
  if (cursor) await sink.history(shas);
  return state;
}

/** The commits `head` has beyond `base`, or null when `head` does not descend from `base` (or `base` is gone). */
async function commitsAhead(scope: RepoScope, base: string, head: string): Promise<CommitPayload[] | null> {
  const commits: CommitPayload[] = [];
  for (let page = 1; ; page++) {
    let response;
    try {
      response = await scope.client.get("/repos/{owner}/{repo}/compare/{basehead}", { ...route(scope), basehead: `${base}...${head}`, per_page: PAGE, page }, comparePayload);
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
const deploymentsCursor = z.object({ max_id: z.number(), newest_at: z.string().nullable(), open: z.array(openDeployment) });
type OpenDeployment = z.infer<typeof openDeployment>;

export type DeploymentSink = (records: DeploymentRecord[], withdrawn: string[]) => Promise<void>;

/**
 * New deployments (ids above the cursor, newest first) with their statuses, then the
 * deployments still without a success, kept in the cursor with their statuses' ETag: their
 * statuses are asked again, conditionally, until they succeed or the repo has a deployment
 * OPEN_DEPLOYMENT_DAYS newer (a pending deployment that old was abandoned).
 */
export async function syncDeployments(scope: RepoScope, previous: StreamState | undefined, store: DeploymentSink): Promise<StreamState | null> {
  const cursor = cursorOf(deploymentsCursor, previous) ?? { max_id: 0, newest_at: null, open: [] };
  const listing = await scope.client.list("/repos/{owner}/{repo}/deployments", { ...route(scope), per_page: PAGE }, deploymentPayload, previous?.etag);
  const open: OpenDeployment[] = [];
  let { max_id: maxId, newest_at: newestAt } = cursor;
  if (listing) {
    for await (const page of listing.pages) {
      const fresh = page.filter((d) => d.id > cursor.max_id && (!scope.since || Date.parse(d.created_at) >= Date.parse(scope.since)));
      const polled = await Promise.all(fresh.map((deployment) => pollStatuses(scope, { deployment, etag: null })));
      await store(polled.flatMap((p) => (p.record ? [p.record] : [])), []);
      for (const p of polled) if (p.open) open.push(p.open);
      for (const d of fresh) [maxId, newestAt] = [Math.max(maxId, d.id), later(newestAt, d.created_at)];
      if (fresh.length < page.length) break;
    }
  }
  const cutoff = newestAt ? Date.parse(newestAt) - OPEN_DEPLOYMENT_DAYS * 86_400_000 : -Infinity;
  const waiting = cursor.open.filter((o) => Date.parse(o.deployment.created_at) >= cutoff);
  if (!listing && waiting.length === 0) return null;
  for (const previousOpen of waiting) {
    const polled = await pollStatuses(scope, previousOpen);
    if (polled.record || polled.withdrawn) await store(polled.record ? [polled.record] : [], polled.withdrawn ? [polled.withdrawn] : []);
    if (polled.open) open.push(polled.open);
  }
  const kept = open.filter((o) => Date.parse(o.deployment.created_at) >= cutoff);
  return { cursor: { max_id: maxId, newest_at: newestAt, open: kept }, etag: listing?.etag ?? previous?.etag ?? null };
}

interface Polled {
  record: DeploymentRecord | null;
  /** The deployment's record must go (it is pending again, or was deleted). */
  withdrawn: string | null;
  /** Still without a success: asked again next time. */
  open: OpenDeployment | null;
}

async function pollStatuses(scope: RepoScope, { deployment, etag }: { deployment: DeploymentPayload; etag: string | null }): Promise<Polled> {
  const externalId = deploymentExternalId(scope.repo, deployment.id);
  let listing;
  try {
    listing = await scope.client.list(
      "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
      { ...route(scope), deployment_id: deployment.id, per_page: PAGE },
      deploymentStatusPayload,
      etag,
    );
  } catch (error) {
    if (statusOf(error) === 404) return { record: null, withdrawn: externalId, open: null };
    throw error;
  }
  if (!listing) return { record: null, withdrawn: null, open: { deployment, etag } };
  const statuses = await collect(listing);
  const record = deploymentRecord(scope.repo, deployment, statuses);
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
export async function syncReleases(scope: RepoScope, previous: StreamState | undefined, store: (releases: ReleaseRecord[]) => Promise<void>): Promise<StreamState | null> {
  const listing = await scope.client.list("/repos/{owner}/{repo}/releases", { ...route(scope), per_page: PAGE }, releasePayload, previous?.etag);
  if (!listing) return null;
  for await (const page of listing.pages) {
    const fresh = scope.since ? page.filter((release) => Date.parse(release.created_at) >= Date.parse(scope.since!)) : page;
    if (fresh.length) await store(fresh.map((release) => releaseRecord(scope.repo, release)));
    if (fresh.length < page.length) break;
  }
  return { cursor: null, etag: listing.etag };
}
