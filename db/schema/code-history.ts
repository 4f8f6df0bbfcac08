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
  },
  (t) => [uniqueIndex("commits_key").on(t.source, t.externalId), uniqueIndex("commits_repo_sha").on(t.repo, t.sha)],
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
