/**
 * The GraphQL reads of the connector's streams: the same streams (names, cursors, writes) as the
 * REST ones in ../streams.ts, so a state saved by one path is read on by the other, and
 * connectors/github/source.ts falls back to REST in the middle of a run. Where REST asks once
 * per pull request (its commits, its reviews) and per deployment (its statuses), one query here
 * brings a page of them with their lists; the pages past a list's first 100 are read by node id.
 *
 * GraphQL has no conditional requests: an unchanged re-sync asks one small first page per
 * stream (a probe of PROBE items when there is a cursor) and stops at the cursor.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { mark, remove, replace, UNCHANGED, upsert } from "@/connectors/stream";
import { commits, deployments, pullRequestCommits, pullRequestReviews, pullRequests, releases, workItems } from "@/db/schema";
import { commitRecord, deploymentExternalId, SOURCE, type DeploymentRecord } from "@/connectors/github/records";
import {
  commitsAhead,
  deploymentsCursor,
  later,
  OPEN_DEPLOYMENT_DAYS,
  readUpdatedSince,
  repositoryStream,
  updatedCursor,
  updatedState,
  type OpenDeployment,
  type RepoStream,
} from "@/connectors/github/streams";
import { MAX_PAGE, type GraphQLClient } from "./client";
import {
  deploymentsAnswer,
  deploymentStatusesAnswer,
  historyAnswer,
  issuesAnswer,
  labelsAnswer,
  pullCommitsAnswer,
  pullRequestsAnswer,
  pullReviewsAnswer,
  releasesAnswer,
  repositoryAnswer,
  type GraphDeployment,
  type GraphHistoryCommit,
  type GraphPull,
} from "./payloads";
import {
  deploymentStatusesQuery,
  deploymentsQuery,
  historyQuery,
  issuesQuery,
  labelsQuery,
  pullCommitsQuery,
  pullRequestsQuery,
  pullReviewsQuery,
  releasesQuery,
  repositoryQuery,
} from "./queries";
import {
  graphCommitRecord,
  graphDeploymentFields,
  graphDeploymentRecord,
  graphIssueRecord,
  graphPullCommitRecord,
  graphPullRecord,
  graphReleaseRecord,
  graphReviewRecord,
  type CompletePull,
} from "./records";

/** The first page of a stream that has a cursor: most re-syncs find nothing newer in it. */
const PROBE = 10;

function names(repo: string) {
  const [owner, name] = repo.split("/") as [string, string];
  return { owner, name };
}

function client(session: { graphql: GraphQLClient | null }): GraphQLClient {
  if (!session.graphql) throw new Error("the GraphQL client is not open");
  return session.graphql;
}

/** GitHub answers a missing repository with a NOT_FOUND error; a null here is the same. */
function found<T>(repository: T | null, repo: string): T {
  if (repository === null) throw new RepositoryNotFoundError(`Could not resolve to a Repository with the name '${repo}'.`);
  return repository;
}

export class RepositoryNotFoundError extends Error {}

export const graphRepositoryStream: typeof repositoryStream = {
  ...repositoryStream,
  async read({ partition: repo, session }) {
    const data = await client(session).run(repositoryQuery, names(repo), repositoryAnswer);
    // An empty repository has no default branch yet: nothing to read on it.
    return { cursor: { default_branch: found(data.repository, repo).defaultBranchRef?.name ?? "" }, etag: null };
  },
};

// ---- pull requests ------------------------------------------------------------------------

async function completePull(graphql: GraphQLClient, node: GraphPull): Promise<CompletePull> {
  const labels = await graphql.remaining(labelsQuery, node.id, node.labels, labelsAnswer, (d) => d.node?.labels);
  if (node.mergedAt === null) return { node, labels: labels.map((l) => l.name), commits: [], reviews: [] };
  const [commits, reviews] = [
    await graphql.remaining(pullCommitsQuery, node.id, node.commits, pullCommitsAnswer, (d) => d.node?.commits),
    await graphql.remaining(pullReviewsQuery, node.id, node.reviews, pullReviewsAnswer, (d) => d.node?.reviews),
  ];
  return { node, labels: labels.map((l) => l.name), commits: commits.map((c) => c.commit), reviews };
}

export const graphPullsStream: RepoStream<z.infer<typeof updatedCursor>> = {
  name: "pulls",
  cursor: updatedCursor,
  async read({ partition: repo, session, state, emit, upstream }) {
    const graphql = client(session);
    const defaultBranch = upstream(repositoryStream).default_branch;
    const cursor = state?.cursor;
    const pages = graphql.pages(pullRequestsQuery, names(repo), pullRequestsAnswer, (d) => found(d.repository, repo).pullRequests, {
      firstPage: cursor ? PROBE : undefined,
    });
    const newest = await readUpdatedSince(
      pages,
      later(cursor?.updated_at, session.since),
      async (nodes) => {
        const pulls: CompletePull[] = [];
        for (const node of nodes) pulls.push(await completePull(graphql, node));
        // Only a merged pull request has its commits (its start) and reviews stored, as on the REST path.
        const merged = pulls.filter((pull) => pull.node.mergedAt !== null);
        await emit([
          upsert(pullRequests, pulls.map((pull) => graphPullRecord(repo, pull, defaultBranch)), { key: `${repo}:pulls` }),
          ...merged.map(({ node, commits }) =>
            replace(pullRequestCommits, { repo, number: node.number }, ["repo", "number", "sha"], commits.map((commit) => graphPullCommitRecord(repo, node.number, commit))),
          ),
          upsert(pullRequestReviews, merged.flatMap(({ node, reviews }) => reviews.map((review) => graphReviewRecord(repo, node.number, review)))),
        ]);
      },
      (node) => node.updatedAt,
    );
    return updatedState(later(newest, cursor?.updated_at), null);
  },
};

// ---- issues -------------------------------------------------------------------------------

export const graphIssuesStream: RepoStream<z.infer<typeof updatedCursor>> = {
  name: "issues",
  cursor: updatedCursor,
  async read({ partition: repo, session, state, emit }) {
    const graphql = client(session);
    const cursor = state?.cursor;
    const pages = graphql.pages(issuesQuery, { ...names(repo), since: session.since }, issuesAnswer, (d) => found(d.repository, repo).issues, {
      firstPage: cursor ? PROBE : undefined,
    });
    const newest = await readUpdatedSince(
      pages,
      cursor?.updated_at ?? null,
      async (issues) => {
        const records = [];
        for (const issue of issues) {
          const labels = await graphql.remaining(labelsQuery, issue.id, issue.labels, labelsAnswer, (d) => d.node?.labels);
          records.push(graphIssueRecord(repo, issue, labels.map((l) => l.name)));
        }
        await emit([upsert(workItems, records, { key: `${repo}:issues` })]);
      },
      (issue) => issue.updatedAt,
    );
    return updatedState(later(newest, cursor?.updated_at), null);
  },
};

// ---- default-branch commits ---------------------------------------------------------------

/**
 * The default branch's history with parents. A re-sync asks for the head alone; when it moved,
 * REST's comparison old head...new head names exactly the new commits (GraphQL compares refs,
 * not a sha we kept). A force push reads the whole branch again, as on the REST path.
 */
export const graphCommitsStream: RepoStream<{ head: string }> = {
  name: "commits",
  cursor: z.object({ head: z.string() }),
  async read({ partition: repo, session, state, emit, upstream }) {
    const graphql = client(session);
    const defaultBranch = upstream(repositoryStream).default_branch;
    const cursor = state?.cursor;
    const empty = { cursor: null, etag: null };
    if (!defaultBranch) return empty;
    const pages = graphql.pages(
      historyQuery,
      { ...names(repo), branch: defaultBranch, since: session.since },
      historyAnswer,
      (d) => found(d.repository, repo).ref?.target?.history,
      { firstPage: cursor ? 1 : undefined },
    );
    const store = (page: GraphHistoryCommit[]) => emit([upsert(commits, page.map((commit) => graphCommitRecord(repo, commit)), { key: `${repo}:commits` })]);
    const first = await pages.next();
    const head = first.done ? undefined : first.value[0]?.oid;
    if (!head) return empty;
    const next = { cursor: { head }, etag: null };
    if (cursor?.head === head) return next;
    if (cursor) {
      const added = await commitsAhead(session.client, repo, cursor.head, head);
      if (added) {
        if (added.length) await emit([upsert(commits, added.map((commit) => commitRecord(repo, commit)), { key: `${repo}:commits` })]);
        return next;
      }
    }
    const shas: string[] = [];
    for (let page: GraphHistoryCommit[] | undefined = first.done ? undefined : first.value; page; ) {
      await store(page);
      shas.push(...page.map((commit) => commit.oid));
      const more = await pages.next();
      page = more.done ? undefined : more.value;
    }
    if (cursor) await emit([mark(commits, "onDefaultBranch", { source: SOURCE, repo, ...(session.since && { committedAt: { atLeast: session.since } }) }, "sha", shas)]);
    return next;
  },
};

// ---- deployments --------------------------------------------------------------------------

/** A deployment node with all its statuses → its record (or none) and whether it still waits for a success. */
async function settle(graphql: GraphQLClient, repo: string, node: GraphDeployment): Promise<{ record: DeploymentRecord | null; open: OpenDeployment | null }> {
  const statuses = await graphql.remaining(deploymentStatusesQuery, node.id, node.statuses, deploymentStatusesAnswer, (d) => d.node?.statuses);
  const record = graphDeploymentRecord(repo, node, statuses);
  const open = record?.status === "success" ? null : { etag: null, deployment: { ...graphDeploymentFields(node), node_id: node.id } };
  return { record, open };
}

/**
 * As the REST stream: new deployments (ids above the cursor, newest first) with their statuses,
 * and the deployments still without a success asked again — here in the first page's query, by
 * node id — until they succeed or the repo has one OPEN_DEPLOYMENT_DAYS newer.
 */
export const graphDeploymentsStream: RepoStream<z.infer<typeof deploymentsCursor>> = {
  name: "deployments",
  cursor: deploymentsCursor,
  async read({ partition: repo, session, state, emit }) {
    const graphql = client(session);
    const cursor = state?.cursor ?? { max_id: 0, newest_at: null, open: [] };
    const since = session.since;
    const asked = cursor.open.filter((o) => typeof o.deployment.node_id === "string");
    let waiting: (GraphDeployment | null)[] | null = null;
    const pages = graphql.pages(
      deploymentsQuery,
      { ...names(repo), waiting: asked.map((o) => o.deployment.node_id) },
      deploymentsAnswer,
      (d) => {
        // The first page's answer also holds the waiting deployments (null: deleted).
        waiting ??= d.waiting.map((node) => (node && "databaseId" in node ? (node as GraphDeployment) : null));
        return found(d.repository, repo).deployments;
      },
      { firstPage: state ? PROBE : undefined, laterVariables: { waiting: [] } },
    );
    const store = (records: DeploymentRecord[], withdrawn: string[]) =>
      emit([
        upsert(deployments, records, { key: `${repo}:deployments` }),
        ...(withdrawn.length ? [remove(deployments, { source: SOURCE, externalId: { in: withdrawn } })] : []),
      ]);
    // A waiting deployment without a node id (none GitHub sends) stays waiting as it is.
    const open: OpenDeployment[] = cursor.open.filter((o) => !asked.includes(o));
    let { max_id: maxId, newest_at: newestAt } = cursor;
    for await (const page of pages) {
      const fresh = page.filter((d) => d.databaseId > cursor.max_id && (!since || Date.parse(d.createdAt) >= Date.parse(since)));
      const settled = [];
      for (const node of fresh) settled.push(await settle(graphql, repo, node));
      await store(settled.flatMap((s) => (s.record ? [s.record] : [])), []);
      for (const s of settled) if (s.open) open.push(s.open);
      for (const d of fresh) [maxId, newestAt] = [Math.max(maxId, d.databaseId), later(newestAt, d.createdAt)];
      if (fresh.length < page.length) break;
    }
    const cutoff = newestAt ? Date.parse(newestAt) - OPEN_DEPLOYMENT_DAYS * 86_400_000 : -Infinity;
    for (const [index, previous] of asked.entries()) {
      if (Date.parse(previous.deployment.created_at) < cutoff) continue;
      const node = waiting?.[index];
      const externalId = deploymentExternalId(repo, previous.deployment.id);
      if (!node) {
        await store([], [externalId]);
        continue;
      }
      const settled = await settle(graphql, repo, node);
      // No record (again pending after a failure): the failure record must go.
      await store(settled.record ? [settled.record] : [], settled.record ? [] : [externalId]);
      if (settled.open) open.push(settled.open);
    }
    const kept = open.filter((o) => Date.parse(o.deployment.created_at) >= cutoff);
    return { cursor: { max_id: maxId, newest_at: newestAt, open: kept }, etag: null };
  },
};

// ---- releases -----------------------------------------------------------------------------

/**
 * As on the REST path, the whole list is read again whenever its first page changed; without
 * ETags, the state's `etag` is a digest of the first page (`graphql:…`, which no REST ETag
 * matches, so a switch of path reads the list once).
 */
export const graphReleasesStream: RepoStream<null> = {
  name: "releases",
  cursor: z.null(),
  async read({ partition: repo, session, state, emit }) {
    const graphql = client(session);
    const pages = graphql.pages(releasesQuery, names(repo), releasesAnswer, (d) => found(d.repository, repo).releases, { firstPage: MAX_PAGE });
    const first = await pages.next();
    const firstPage = first.done ? [] : first.value;
    const digest = `graphql:${createHash("sha256").update(JSON.stringify(firstPage)).digest("hex").slice(0, 32)}`;
    if (state?.etag === digest) return UNCHANGED;
    const since = session.since;
    for (let page: typeof firstPage | undefined = firstPage; page; ) {
      const fresh = since ? page.filter((release) => Date.parse(release.createdAt) >= Date.parse(since)) : page;
      if (fresh.length) await emit([upsert(releases, fresh.map((release) => graphReleaseRecord(repo, release)), { key: `${repo}:releases` })]);
      if (fresh.length < page.length) break;
      const more = await pages.next();
      page = more.done ? undefined : more.value;
    }
    return { cursor: null, etag: digest };
  },
};
