/**
 * Facts derived from the stored records at write time, so reports read them with index range
 * scans instead of recomputing them (docs/architecture.md, "Derived tables"). Nothing here comes
 * from a source: every row can be recomputed from the other tables, and is, when the definition
 * or the project's configuration that produced it changes. No zod schema: nothing is ingested here.
 */
import { index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { instant } from "./columns";

/**
 * The commits each completed production deployment first shipped (lib/kpis/entities/changes.ts),
 * per project: which deployments count as production is the project's setting.
 */
export const derivedShippedCommits = pgTable(
  "derived_shipped_commits",
  {
    project: text("project").notNull(),
    repo: text("repo").notNull(),
    sha: text("sha").notNull(),
    /** deployments.id of the deployment that first shipped the commit. */
    deploymentId: integer("deployment_id").notNull(),
    finishedAt: instant("finished_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.project, t.repo, t.sha] }),
    index("derived_shipped_commits_finished").on(t.project, t.repo, t.finishedAt),
  ],
);

/**
 * How far `derived_shipped_commits` is true for one project's repo: the stamp it was derived
 * under (definition version and the configuration it read), and, when records written since can
 * change it, the earliest finish from which it must be derived again (null: up to date). The
 * database's triggers on `deployments` and `commits` set `dirty_from` (migration 0010).
 */
export const derivedShippedState = pgTable(
  "derived_shipped_state",
  {
    project: text("project").notNull(),
    repo: text("repo").notNull(),
    stamp: text("stamp").notNull(),
    dirtyFrom: instant("dirty_from"),
  },
  (t) => [primaryKey({ columns: [t.project, t.repo] }), index("derived_shipped_state_repo").on(t.repo)],
);

/** Every repo a deployment names, kept by a trigger: a project's `owner/*` resolves here without a scan of deployments. */
export const deployedRepos = pgTable("deployed_repos", {
  repo: text("repo").primaryKey(),
});
