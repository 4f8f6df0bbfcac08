/**
 * What the GitHub connector stores about code: pull requests, their commits, the default
 * branch's commits (with parents, for "which deployment first shipped this change") and
 * releases. Deployments from GitHub go to `deployments`; issues go to `work_items`.
 */
import { boolean, index, integer, pgTable, primaryKey, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { instant, sourceColumns } from "./columns";

export const pullRequests = pgTable(
  "pull_requests",
  {
    id: serial("id").primaryKey(),
    ...sourceColumns(),
    repo: text("repo").notNull(),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    url: text("url"),
    baseRef: text("base_ref").notNull(),
    headRef: text("head_ref").notNull(),
    /** True when merged into the repo's default branch: only then is the PR a change. */
    mergedToDefault: boolean("merged_to_default").notNull().default(false),
    mergedAt: instant("merged_at"),
    mergeCommitSha: text("merge_commit_sha"),
    /** The number of the pull request this one reverts (GitHub's `Revert "…"` / `revert-N-` branch), else null. */
    revertsNumber: integer("reverts_number"),
    labels: text("labels").array().notNull().default([]),
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("pull_requests_key").on(t.source, t.externalId),
    uniqueIndex("pull_requests_repo_number").on(t.repo, t.number),
    index("pull_requests_merge_commit").on(t.repo, t.mergeCommitSha),
  ],
);

/** A pull request's own commits (its commit list), so squash and rebase merges keep their start. */
export const pullRequestCommits = pgTable(
  "pull_request_commits",
  {
    repo: text("repo").notNull(),
    number: integer("number").notNull(),
    sha: text("sha").notNull(),
    authoredAt: instant("authored_at").notNull(),
    committedAt: instant("committed_at"),
    /** The commit message, to recognise the copies a rebase merge puts on the default branch. */
    message: text("message"),
    /**
     * This commit, or a copy of it (same author date and message), was on the default branch
     * before the pull request merged: it is not the PR's and does not start it (kpis.md,
     * "Change"). Set by connectors/github/enrichers/pull-request-links.ts.
     */
    onDefaultBeforeMerge: boolean("on_default_before_merge").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.repo, t.number, t.sha] }), index("pull_request_commits_sha").on(t.repo, t.sha)],
);

export const commits = pgTable(
  "commits",
  {
    id: serial("id").primaryKey(),
    ...sourceColumns(),
    repo: text("repo").notNull(),
    sha: text("sha").notNull(),
    parents: text("parents").array().notNull().default([]),
    authoredAt: instant("authored_at").notNull(),
    committedAt: instant("committed_at"),
    message: text("message"),
    /** Seen on the default branch's history (not only inside a pull request). */
    onDefaultBranch: boolean("on_default_branch").notNull().default(false),
    /** The merged pull request this commit belongs to (its merge, squash or rebased copy); null for a lone commit. */
    pullNumber: integer("pull_number"),
    /**
     * For a commit on the default branch's line — its first-parent history, where merge, squash
     * and rebased commits and direct pushes sit — its place on it: 1 for the oldest stored, up by
     * one each step. Null for a commit that came in through a merge's second parent, and for one
     * no longer on the branch. Set by connectors/github/enrichers/default-branch-line.ts.
     */
    linePosition: integer("line_position"),
    /**
     * Where the commit joined the default branch: the line position of the first line commit
     * whose history holds it (a line commit's own). So the history of line commit L is exactly
     * the commits whose landed position is at most L's, and what a deployment of L ships beyond
     * a deployed line commit E is an index range (E, L]. 0 for a default-branch commit that the
     * head's stored history does not reach; null for one not (yet) placed or off the branch.
     */
    landedPosition: integer("landed_position"),
  },
  (t) => [
    uniqueIndex("commits_key").on(t.source, t.externalId),
    uniqueIndex("commits_repo_sha").on(t.repo, t.sha),
    index("commits_repo_line").on(t.repo, t.linePosition),
    index("commits_repo_landed").on(t.repo, t.landedPosition),
  ],
);

export const releases = pgTable(
  "releases",
  {
    id: serial("id").primaryKey(),
    ...sourceColumns(),
    repo: text("repo").notNull(),
    tag: text("tag").notNull(),
    name: text("name"),
    url: text("url"),
    draft: boolean("draft").notNull().default(false),
    prerelease: boolean("prerelease").notNull().default(false),
    publishedAt: instant("published_at"),
  },
  (t) => [uniqueIndex("releases_key").on(t.source, t.externalId), index("releases_repo_published").on(t.repo, t.publishedAt)],
);
