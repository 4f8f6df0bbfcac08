/**
 * The GitHub connector's enrichers: steps over a repo's stored records after its streams ran
 * (connectors/github/source.ts calls them), so they are right whatever order the pages
 * arrived in and after an interrupted sync.
 */
import { sql } from "drizzle-orm";
import type { Store } from "@/db/client";
import { SOURCE } from "@/connectors/github/records";

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
export async function enrichRepo(store: Store, repo: string): Promise<void> {
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
