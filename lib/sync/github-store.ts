/**
 * Where the GitHub connector's records go: idempotent writes of each stream's batches, the
 * streams' saved states, and the links computed from what is stored (which pull request a
 * default-branch commit belongs to, which pull request a revert undoes).
 */
import { and, eq, notInArray, sql } from "drizzle-orm";
import type { Store } from "@/db/client";
import { commits, deployments, pullRequestCommits, pullRequestReviews, pullRequests, streamStates } from "@/db/schema";
import { upsertRecords } from "@/db/upsert";
import { SOURCE, type CommitRecord, type DeploymentRecord } from "@/connectors/github/records";
import type { PullBatch, StreamState } from "@/connectors/github/streams";
import { saveCursor } from "./stream-state";

export async function loadStates(store: Store): Promise<Map<string, StreamState>> {
  const rows = await store.db.select().from(streamStates).where(eq(streamStates.source, SOURCE));
  return new Map(rows.map((row) => [row.stream, { cursor: row.cursor, etag: row.etag }]));
}

export async function saveState(store: Store, stream: string, state: StreamState): Promise<void> {
  await saveCursor(store, SOURCE, stream, state.cursor, state.etag);
}

export async function storePulls(store: Store, batch: PullBatch): Promise<void> {
  await upsertRecords(store, pullRequests, batch.pulls);
  await store.db.transaction(async (tx) => {
    for (const [number, list] of batch.commits) {
      const repo = batch.pulls.find((pull) => pull.number === number)!.repo;
      // A pull request's commit list is replaced whole: commits force-pushed away before the merge are not its own.
      const shas = list.map((commit) => commit.sha);
      await tx
        .delete(pullRequestCommits)
        .where(and(eq(pullRequestCommits.repo, repo), eq(pullRequestCommits.number, number), shas.length ? notInArray(pullRequestCommits.sha, shas) : undefined));
      if (list.length === 0) continue;
      await tx
        .insert(pullRequestCommits)
        .values(list)
        .onConflictDoUpdate({
          target: [pullRequestCommits.repo, pullRequestCommits.number, pullRequestCommits.sha],
          set: { authoredAt: sql`excluded.authored_at`, committedAt: sql`excluded.committed_at`, message: sql`excluded.message` },
        });
    }
  });
  await upsertRecords(store, pullRequestReviews, batch.reviews);
}

export async function storeCommits(store: Store, records: CommitRecord[]): Promise<void> {
  await upsertRecords(store, commits, records);
}

/**
 * After a force push the default branch was read again in full: exactly `shas` are on it (at
 * or after `since`, the oldest the sync reads). Commits that left it stay stored, unmarked.
 */
export async function markDefaultBranch(store: Store, repo: string, shas: string[], since: string | null): Promise<void> {
  await store.db.execute(sql`
    WITH current AS (SELECT json_array_elements_text(${JSON.stringify(shas)}::json) AS sha)
    UPDATE commits SET on_default_branch = commits.sha IN (SELECT sha FROM current)
    WHERE source = ${SOURCE} AND repo = ${repo}
      AND (${since}::timestamptz IS NULL OR committed_at >= ${since}::timestamptz)
      AND on_default_branch IS DISTINCT FROM (commits.sha IN (SELECT sha FROM current))`);
}

export async function storeDeployments(store: Store, records: DeploymentRecord[], withdrawn: string[]): Promise<void> {
  await upsertRecords(store, deployments, records);
  for (const externalId of withdrawn) {
    await store.db.delete(deployments).where(and(eq(deployments.source, SOURCE), eq(deployments.externalId, externalId)));
  }
}

/**
 * Links computed from the stored records of one repo, again after every sync of it (so they
 * are right whatever order the pages arrived in, and after an interrupted sync):
 *
 * - `commits.pull_number`: the merged-to-default pull request a default-branch commit belongs
 *   to — its merge or squash commit, one of its own commits (merge commits keep them), or a
 *   copy a rebase merge made (same author date and message as one of its commits). A commit
 *   with no pull request is a lone commit.
 * - `pull_requests.reverts_number` for a revert that only its title `Revert "<title>"` names:
 *   the latest pull request with that title merged before the revert was opened.
 */
export async function linkRepo(store: Store, repo: string): Promise<void> {
  await store.db.execute(sql`
    WITH merged AS (
      SELECT number, merge_commit_sha, merged_at FROM pull_requests
      WHERE source = ${SOURCE} AND repo = ${repo} AND merged_to_default
    ), own AS (
      SELECT prc.* FROM pull_request_commits prc JOIN merged USING (number) WHERE prc.repo = ${repo}
    ), candidates AS (
      SELECT c.sha, m.number, 0 AS rank, m.merged_at FROM commits c JOIN merged m ON m.merge_commit_sha = c.sha
      WHERE c.repo = ${repo}
      UNION ALL
      SELECT c.sha, own.number, 1, m.merged_at FROM commits c JOIN own ON own.sha = c.sha JOIN merged m USING (number)
      WHERE c.repo = ${repo}
      UNION ALL
      SELECT c.sha, own.number, 2, m.merged_at FROM commits c
        JOIN own ON own.authored_at = c.authored_at AND own.message = c.message JOIN merged m USING (number)
      WHERE c.repo = ${repo}
    ), best AS (
      SELECT DISTINCT ON (sha) sha, number FROM candidates ORDER BY sha, rank, merged_at
    ), target AS (
      SELECT c.sha, best.number FROM commits c LEFT JOIN best USING (sha) WHERE c.repo = ${repo} AND c.source = ${SOURCE}
    )
    UPDATE commits SET pull_number = target.number FROM target
    WHERE commits.source = ${SOURCE} AND commits.repo = ${repo} AND commits.sha = target.sha
      AND commits.pull_number IS DISTINCT FROM target.number`);
  await store.db.execute(sql`
    WITH matched AS (
      SELECT DISTINCT ON (r.id) r.id, o.number FROM pull_requests r
      JOIN pull_requests o ON o.repo = r.repo AND o.number <> r.number AND r.title = 'Revert "' || o.title || '"'
        AND o.merged_at IS NOT NULL AND o.merged_at <= r.created_at
      WHERE r.source = ${SOURCE} AND r.repo = ${repo} AND r.reverts_number IS NULL
      ORDER BY r.id, o.merged_at DESC
    )
    UPDATE pull_requests SET reverts_number = matched.number FROM matched WHERE pull_requests.id = matched.id`);
}
