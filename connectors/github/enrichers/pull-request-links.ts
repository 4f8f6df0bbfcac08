/**
 * Enricher: which merged pull request each default-branch commit of a repo belongs to
 * (`commits.pull_number`; null: a lone commit, a change of its own), and which entries of a
 * pull request's commit list were on the default branch before it merged
 * (`pull_request_commits.on_default_before_merge`: not the PR's, and not its start). Runs after
 * the commits are placed on the branch's line (./default-branch-line.ts), from the stored records
 * only, so it gives the same links whatever order the pages arrived in.
 *
 * A commit belongs to a pull request merged into the default branch when it is
 * 1. the PR's merge commit (`merge_commit_sha`: the merge commit, the squash commit, or the last
 *    rebased copy), else
 * 2. one of the PR's own commits (same sha: a merge commit's second parent brings them), else
 * 3. a copy of one of them (same author date and message: what a rebase merge writes),
 *
 * and it came with that merge (kpis.md, "Change"): a commit already on the default branch before
 * the PR merged is never the PR's, even when the PR's branch carries it or a copy of it. For a
 * merge commit that means "not an ancestor of its first parent" — the commit landed on the line
 * together with the merge commit. For a squash or rebase merge (a merge commit with one parent)
 * it means "in the merge commit's history and not committed before the merge"; a pull request
 * merged by pushing its own head to the branch (its merge commit is one of its own commits) keeps
 * its own commits in the merge commit's history.
 */
import { sql } from "drizzle-orm";
import type { Store } from "@/db/client";

/**
 * GitHub writes a rebase merge's copies and records the merge in one operation, a moment apart;
 * a commit committed more than this before `merged_at` was there before the merge.
 */
const MERGE_MOMENT = "1 minute";

export async function linkPullRequests(store: Store, repo: string): Promise<void> {
  // One statement, each step computed once. The joins filter only on columns other enrichers
  // do not write (the places are tested after), so a plan made from statistics taken before the
  // commits were placed still joins by hash or index rather than row by row.
  await store.db.execute(sql`
    WITH merged AS MATERIALIZED (
      SELECT pr.number, pr.merge_commit_sha, pr.merged_at, m.landed_position AS merge_landed,
        cardinality(m.parents) > 1 AS merge_commit,
        EXISTS (SELECT 1 FROM pull_request_commits o WHERE o.repo = pr.repo AND o.number = pr.number AND o.sha = pr.merge_commit_sha) AS pushed_head
      FROM pull_requests pr JOIN commits m ON m.repo = pr.repo AND m.sha = pr.merge_commit_sha
      WHERE pr.repo = ${repo} AND pr.merged_to_default
    ),
    matches AS MATERIALIZED (
      SELECT c.sha, c.landed_position AS landed, c.committed_at, o.number, o.sha AS own_sha, 1 AS rank
      FROM pull_request_commits o JOIN commits c ON c.repo = o.repo AND c.sha = o.sha
      WHERE o.repo = ${repo}
      UNION ALL
      SELECT c.sha, c.landed_position, c.committed_at, o.number, o.sha, 2
      FROM pull_request_commits o JOIN commits c ON c.repo = o.repo AND c.authored_at = o.authored_at AND c.message = o.message AND c.sha <> o.sha
      WHERE o.repo = ${repo}
    ),
    judged AS MATERIALIZED (
      SELECT x.sha, x.number, x.own_sha, x.rank, m.merged_at, x.landed <= m.merge_landed AS in_merge_history,
        x.landed <= m.merge_landed AND CASE
          WHEN m.merge_commit THEN x.landed = m.merge_landed
          WHEN m.pushed_head AND x.rank = 1 THEN true
          ELSE x.committed_at IS NULL OR x.committed_at >= m.merged_at - interval '${sql.raw(MERGE_MOMENT)}'
        END AS came_with_merge
      FROM matches x JOIN merged m USING (number)
      WHERE x.landed > 0 AND m.merge_landed > 0
    ),
    candidates AS (
      SELECT merge_commit_sha AS sha, number, 0 AS rank, merged_at FROM merged WHERE merge_landed > 0
      UNION ALL
      SELECT sha, number, rank, merged_at FROM judged WHERE came_with_merge
    ),
    best AS MATERIALIZED (SELECT DISTINCT ON (sha) sha, number FROM candidates ORDER BY sha, rank, merged_at, number),
    linked AS (
      UPDATE commits SET pull_number = best.number FROM best
      WHERE commits.repo = ${repo} AND commits.sha = best.sha AND commits.pull_number IS DISTINCT FROM best.number
      RETURNING 1
    ),
    unlinked AS (
      UPDATE commits SET pull_number = NULL
      WHERE repo = ${repo} AND pull_number IS NOT NULL AND sha NOT IN (SELECT sha FROM best)
      RETURNING 1
    ),
    before AS MATERIALIZED (SELECT DISTINCT number, own_sha AS sha FROM judged WHERE in_merge_history AND NOT came_with_merge),
    flagged AS (
      UPDATE pull_request_commits SET on_default_before_merge = true FROM before
      WHERE pull_request_commits.repo = ${repo} AND pull_request_commits.number = before.number AND pull_request_commits.sha = before.sha
        AND NOT pull_request_commits.on_default_before_merge
      RETURNING 1
    ),
    unflagged AS (
      UPDATE pull_request_commits SET on_default_before_merge = false
      WHERE repo = ${repo} AND on_default_before_merge AND (number, sha) NOT IN (SELECT number, sha FROM before)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM linked) + (SELECT count(*) FROM unlinked) + (SELECT count(*) FROM flagged) + (SELECT count(*) FROM unflagged) AS changed`);
}
