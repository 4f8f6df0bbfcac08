/**
 * Which deployment first shipped each commit and each change (kpis.md, "Change" and "Which
 * deployment ships a change"), computed in SQL from the stored commit history.
 *
 * A completed production deployment D of one of the project's repos ships every commit of its
 * history — every ancestor through every parent — that no earlier completed production deployment
 * of that repo had: `git log <every earlier deployed commit>..<D's commit>`. Earlier deployments
 * are a set, so a rollback or a redeploy of an older commit ships nothing, and neither does a
 * deployment of an old commit after a newer one.
 *
 * The history is read through the places the GitHub enricher gives default-branch commits
 * (connectors/github/enrichers/default-branch-line.ts): the history of a line commit L (on the
 * branch's first-parent chain) is exactly the commits landed at 1..L. So when the earlier
 * deployments that matter deployed line commits — the usual case, deploying the branch's head —
 * what D ships is the index range (highest line position deployed earlier, D's position], however
 * many second parents the history has. A deployment of a commit off the line (say a `develop`
 * commit, deployed before develop was merged) ships what a walk from it finds above that bound;
 * such a deployment made earlier takes what its walk found away from later ones. Nothing is read
 * below the highest line position deployed before the window, which is found by stepping down the
 * line from its top: a report's cost follows the history from its window to the branch's head,
 * not the whole history.
 *
 * A shipped commit is part of a change: the pull request merged into the default branch whose
 * merge commit it is (the PR ships with its merge, squash or last rebased commit), or a lone
 * commit (no pull request; `commits.pull_number`, set by the enricher that links commits to pull
 * requests) — except a merge commit of no pull request (a merged `develop`), which brings changes
 * and is none itself. A pull request's other commits ship with it.
 *
 * Derived at write time (docs/architecture.md, "Derived tables"): `shippingWalk` below is the
 * derivation, kept in `derived_shipped_commits` by ./shipped-derivation.ts; `shippedCommits`
 * reads that table.
 *
 * A deployment ships nothing when it has no commit_sha, or when its commit is not placed on the
 * default branch (a deployment of another branch; a commit a force push removed).
 */
import { sql, type SQL } from "drizzle-orm";
import type { ProjectConfig } from "@/lib/config/load";
import type { KpiContext } from "@/lib/kpis/kpi";
import { inWindow } from "@/lib/kpis/sql/samples";
import { isCompletedProduction, projectRepos } from "./scope";
import { inRepos, lowerTextArray } from "@/lib/kpis/sql/fragments";
import { workItemRules } from "./work-items";

/** Columns of `shippedCommits`. */
export interface ShippedCommit {
  /** deployments.id of the deployment that first shipped the commit. */
  deployment_id: number;
  finished_at: string;
  repo: string;
  sha: string;
}

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
  /** The change's start: earliest authored date of the PR's own commits, or the lone commit's authored date. */
  start: string;
  /** "owner/name#12" for a PR, "owner/name@abc1234" for a lone commit. */
  change_id: string;
  title: string | null;
  url: string | null;
  /** A PR labelled hotfix (configurable) or whose head branch starts with `hotfix/`. */
  hotfix: boolean;
}

/**
 * A subquery: one row per commit first shipped by a deployment finishing in the window
 * (`ShippedCommit`), read from `derived_shipped_commits` by an index range scan. The derivation
 * must be fresh for the project's repos: a KPI that reads this is wrapped in
 * `readingShippedCommits` (./shipped-derivation.ts), which refreshes it first.
 */
export function shippedCommits(context: KpiContext): SQL {
  return sql`SELECT s.deployment_id, s.finished_at, s.repo, s.sha FROM derived_shipped_commits s
    WHERE ${derivedForProject(context.project)} AND ${inWindow(sql`s.finished_at`, context)}`;
}

/**
 * A row `s` of `derived_shipped_commits` is the project's: derived for it, of a repo it still
 * names (a repo removed from the configuration keeps its rows until derived again).
 */
export function derivedForProject(project: ProjectConfig): SQL {
  return sql`s.project = ${project.slug} AND ${inRepos(sql`s.repo`, projectRepos(project))}`;
}

/**
 * The derivation itself (the walk the header describes): a subquery of the commits first shipped
 * by the project's completed production deployments of `repo` finishing at `since` or later.
 * Read by ./shipped-derivation.ts only, to fill `derived_shipped_commits`.
 */
export function shippingWalk(project: ProjectConfig, repo: string, since: string): SQL {
  const start = sql`${since}::timestamptz`;
  // When commit `c` was first deployed before the window, or null: one lookup by commit per commit
  // stepped over. A scalar subquery, not EXISTS or a join, and the deployments of the commit
  // fenced off (OFFSET 0) before the other conditions apply: else PostgreSQL hashes, or scans
  // through the repo's time index, every earlier deployment of the repo — the whole history.
  const deployedBefore = (c: string) => sql`(SELECT min(e.finished_at)
    FROM (SELECT * FROM deployments WHERE commit_sha = ${sql.raw(c)}.sha OFFSET 0) AS e
    WHERE e.repo = ${sql.raw(c)}.repo AND ${isCompletedProduction("e", project)} AND e.finished_at < ${start})`;
  return sql`WITH RECURSIVE
    -- The window's deployments whose commit is placed on the default branch.
    shipping AS MATERIALIZED (
      SELECT d.id, d.repo, d.finished_at, c.sha, c.parents, c.line_position AS line, c.landed_position AS landed, true AS in_window
      FROM deployments d JOIN commits c ON c.repo = d.repo AND c.sha = d.commit_sha AND c.landed_position > 0
      WHERE d.repo = ${repo} AND ${isCompletedProduction("d", project)} AND d.finished_at >= ${start}
    ),
    -- Per repo, the highest line position deployed before the window, stepping down the line from
    -- its top: everything landed up to it shipped before.
    shipped_before AS MATERIALIZED (
      SELECT r.repo, coalesce((
        SELECT c.line_position FROM commits c
        WHERE c.repo = r.repo AND c.line_position IS NOT NULL AND ${deployedBefore("c")} IS NOT NULL
        ORDER BY c.line_position DESC LIMIT 1), 0) AS done
      FROM (SELECT DISTINCT repo FROM shipping) AS r
    ),
    -- Commits off the line that landed above that bound and were deployed before the window: what
    -- those deployments shipped is not the window's.
    side_before AS (
      SELECT NULL::integer AS id, c.repo, e.finished_at, c.sha, c.parents, NULL::integer AS line, c.landed_position AS landed, false AS in_window
      FROM shipped_before b
      -- The index range of commits landed above the bound, fenced: not an AND with every off-line commit of every repo.
      CROSS JOIN LATERAL (SELECT * FROM commits c WHERE c.repo = b.repo AND c.landed_position > b.done OFFSET 0) AS c
      CROSS JOIN LATERAL (SELECT ${deployedBefore("c")} AS finished_at) AS e
      WHERE c.line_position IS NULL AND e.finished_at IS NOT NULL
    ),
    -- Each deployment with its bound: the highest line position any earlier one deployed.
    deployed AS MATERIALIZED (
      SELECT x.*, greatest(b.done, max(x.line) OVER (
          PARTITION BY x.repo ORDER BY x.finished_at, x.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) AS done
      FROM (SELECT * FROM shipping UNION ALL SELECT * FROM side_before) AS x JOIN shipped_before b USING (repo)
    ),
    -- From a commit off the line, its history above the bound, through every parent.
    walk (deployment_id, finished_at, in_window, repo, sha, parents, done) AS (
      SELECT id, finished_at, in_window, repo, sha, parents, done FROM deployed WHERE line IS NULL AND landed > done
      UNION
      SELECT w.deployment_id, w.finished_at, w.in_window, w.repo, c.sha, c.parents, w.done
      FROM walk w CROSS JOIN unnest(w.parents) AS parent(sha)
      JOIN commits c ON c.repo = w.repo AND c.sha = parent.sha
      WHERE c.landed_position > w.done
    ),
    reached AS (
      SELECT deployment_id, finished_at, in_window, repo, sha FROM walk
      UNION ALL
      -- From a line commit: exactly the commits landed above the bound and up to it, one index
      -- range per deployment (fenced, so it is not turned into a hash over the whole table).
      SELECT d.id, d.finished_at, d.in_window, d.repo, c.sha FROM deployed d
      CROSS JOIN LATERAL (
        SELECT c.sha FROM commits c WHERE c.repo = d.repo AND c.landed_position > d.done AND c.landed_position <= d.line OFFSET 0
      ) AS c
    ),
    first_shipped AS (
      SELECT DISTINCT ON (repo, sha) deployment_id, finished_at, repo, sha, in_window FROM reached
      ORDER BY repo, sha, finished_at, deployment_id
    )
    SELECT deployment_id, finished_at, repo, sha FROM first_shipped WHERE in_window`;
}

/**
 * A subquery: one row per change first shipped by a deployment finishing in the window
 * (`ShippedChange`). `shipped` names a `shippedCommits` CTE when the caller has one.
 */
export function shippedChanges(context: KpiContext, shipped: SQL = sql`(${shippedCommits(context)})`): SQL {
  const hotfixLabels = workItemRules(context.config).github.labels.hotfix;
  return sql`SELECT s.deployment_id, s.finished_at, s.repo, pr.number AS pull_number, s.sha,
      CASE WHEN pr.number IS NULL THEN c.authored_at
           ELSE coalesce((SELECT min(prc.authored_at) FROM pull_request_commits prc
                          WHERE prc.repo = pr.repo AND prc.number = pr.number AND NOT prc.on_default_before_merge), c.authored_at)
      END AS start,
      CASE WHEN pr.number IS NULL THEN s.repo || '@' || left(s.sha, 7) ELSE s.repo || '#' || pr.number END AS change_id,
      coalesce(pr.title, split_part(c.message, chr(10), 1)) AS title,
      pr.url,
      coalesce(pr.head_ref LIKE 'hotfix/%'
        OR EXISTS (SELECT 1 FROM unnest(pr.labels) AS label WHERE lower(label) = ANY(${lowerTextArray(hotfixLabels)})), false) AS hotfix
    FROM ${shipped} AS s
    JOIN commits c ON c.repo = s.repo AND c.sha = s.sha
    LEFT JOIN LATERAL (
      SELECT * FROM pull_requests p WHERE p.repo = c.repo AND p.merge_commit_sha = c.sha AND p.merged_to_default
      ORDER BY p.number IS DISTINCT FROM c.pull_number, p.number LIMIT 1
    ) AS pr ON true
    WHERE pr.number IS NOT NULL OR (c.pull_number IS NULL AND cardinality(c.parents) < 2)`;
}
