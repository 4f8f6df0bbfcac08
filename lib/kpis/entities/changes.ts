/**
 * Which deployment first shipped each change (kpis.md, "Change" and "Which deployment ships a
 * change"), computed in SQL from the stored commit history.
 *
 * For every completed production deployment D of one of the project's repos finishing in the
 * window, we walk back from D's commit along first parents — the default branch's own line,
 * where merge commits, squash commits, rebased copies and directly pushed commits sit — and
 * stop at a commit an earlier completed production deployment of the same repo deployed (it and
 * everything behind it shipped before). The commits walked are the ones D shipped first. The
 * walk is as long as the history between two deployments, so a report does not slow down with
 * the total history.
 *
 * A walked commit is part of a change: the merged pull request whose merge commit it is, or
 * whose commit it is (the connector's `pull_number` for squash and rebase copies, or the PR's
 * own commit list); else it is a lone commit, a change of its own.
 *
 * A deployment ships nothing when it has no commit_sha, when its commit is not a known commit
 * of the default branch (a deployment of another branch), or when an earlier deployment
 * already deployed that commit (a redeploy or a rollback to it).
 */
import { sql, type SQL } from "drizzle-orm";
import type { KpiContext } from "@/lib/kpis/kpi";
import { inWindow } from "@/lib/kpis/sql/samples";
import { isCompletedProduction, projectRepos } from "./scope";
import { lowerTextArray, textArray } from "@/lib/kpis/sql/fragments";
import { workItemRules } from "./work-items";

/** Columns of `shippedChanges`. */
export interface ShippedChange {
  /** deployments.id of the deployment that first shipped the change. */
  deployment_id: number;
  finished_at: string;
  repo: string;
  /** The merged pull request, or null for a lone commit. */
  pull_number: number | null;
  /** The change's commit on the default branch: the PR's merge (or squash) commit, or the lone commit. */
  sha: string;
  /** The change's start: earliest authored date of the PR's commits, or the lone commit's authored date. */
  start: string;
  /** "owner/name#12" for a PR, "owner/name@abc1234" for a lone commit. */
  change_id: string;
  title: string | null;
  url: string | null;
  /** A PR labelled hotfix (configurable) or whose head branch starts with `hotfix/`. */
  hotfix: boolean;
}

/** An earlier completed production deployment of repo `repo` deployed commit `sha` (before the walk's deployment). */
function deployedEarlier(sha: SQL, repo: SQL, walk: { finishedAt: SQL; deploymentId: SQL }, context: KpiContext): SQL {
  return sql`EXISTS (SELECT 1 FROM deployments e
    WHERE e.commit_sha = ${sha} AND e.repo = ${repo} AND ${isCompletedProduction("e", context.project)}
      AND (e.finished_at, e.id) < (${walk.finishedAt}, ${walk.deploymentId}))`;
}

/** A subquery: one row per change first shipped by a deployment finishing in the window (`ShippedChange`). */
export function shippedChanges(context: KpiContext): SQL {
  const { project } = context;
  const hotfixLabels = workItemRules(context.config).github.labels.hotfix;
  return sql`WITH RECURSIVE
    shipping AS (
      SELECT d.id, d.repo, d.commit_sha, d.finished_at FROM deployments d
      WHERE d.repo = ANY(${textArray(projectRepos(project))}) AND d.commit_sha IS NOT NULL
        AND ${isCompletedProduction("d", project)} AND ${inWindow(sql`d.finished_at`, context)}
    ),
    walk (deployment_id, finished_at, repo, sha, parent) AS (
      SELECT s.id, s.finished_at, c.repo, c.sha, c.parents[1]
      FROM shipping s JOIN commits c ON c.repo = s.repo AND c.sha = s.commit_sha AND c.on_default_branch
      WHERE NOT ${deployedEarlier(sql`c.sha`, sql`c.repo`, { finishedAt: sql`s.finished_at`, deploymentId: sql`s.id` }, context)}
      UNION
      SELECT w.deployment_id, w.finished_at, c.repo, c.sha, c.parents[1]
      FROM walk w JOIN commits c ON c.repo = w.repo AND c.sha = w.parent
      WHERE NOT ${deployedEarlier(sql`c.sha`, sql`c.repo`, { finishedAt: sql`w.finished_at`, deploymentId: sql`w.deployment_id` }, context)}
    ),
    walked AS (
      SELECT w.deployment_id, w.finished_at, c.repo, c.sha, c.authored_at, c.message,
        coalesce(
          (SELECT min(pr.number) FROM pull_requests pr WHERE pr.repo = c.repo AND pr.merge_commit_sha = c.sha AND pr.merged_to_default),
          c.pull_number,
          (SELECT min(prc.number) FROM pull_request_commits prc JOIN pull_requests pr ON pr.repo = prc.repo AND pr.number = prc.number
             WHERE prc.repo = c.repo AND prc.sha = c.sha AND pr.merged_to_default)) AS pull_number
      FROM walk w JOIN commits c ON c.repo = w.repo AND c.sha = w.sha
    ),
    changes AS (
      SELECT DISTINCT ON (wk.repo, pr.number, CASE WHEN pr.number IS NULL THEN wk.sha END)
        wk.deployment_id, wk.finished_at, wk.repo, pr.number AS pull_number,
        coalesce(pr.merge_commit_sha, wk.sha) AS sha,
        CASE WHEN pr.number IS NULL THEN wk.authored_at
             ELSE coalesce((SELECT min(prc.authored_at) FROM pull_request_commits prc WHERE prc.repo = pr.repo AND prc.number = pr.number), wk.authored_at)
        END AS start,
        CASE WHEN pr.number IS NULL THEN wk.repo || '@' || left(wk.sha, 7) ELSE wk.repo || '#' || pr.number END AS change_id,
        coalesce(pr.title, split_part(wk.message, chr(10), 1)) AS title,
        pr.url,
        coalesce(pr.head_ref LIKE 'hotfix/%'
          OR EXISTS (SELECT 1 FROM unnest(pr.labels) AS label WHERE lower(label) = ANY(${lowerTextArray(hotfixLabels)})), false) AS hotfix
      FROM walked wk
      LEFT JOIN pull_requests pr ON pr.repo = wk.repo AND pr.number = wk.pull_number AND pr.merged_to_default
      ORDER BY wk.repo, pr.number, CASE WHEN pr.number IS NULL THEN wk.sha END, wk.finished_at, wk.deployment_id
    )
    SELECT * FROM changes`;
}
