/**
 * Keeps `derived_shipped_commits` (db/schema/derived.ts) true: the commits each deployment first
 * shipped, derived at write time by the walk of ./changes.ts (`shippingWalk`) so that a report
 * reads them with an index range scan (docs/architecture.md, "Derived tables").
 *
 * A derivation is per project and repo, stamped with what it was derived under: the definition's
 * version and the project's production environments (the only configuration the walk reads).
 * The database's triggers on `deployments` and `commits` (migration 0010) mark the derivations
 * that records written since can change, from the earliest finish they can change. A refresh
 * derives again, in one transaction per repo, only what is stale: from that finish on when the
 * stamp still holds, everything when it differs or the repo was never derived. So a kill
 * mid-refresh leaves the old derivation, still marked, and the next refresh finishes it.
 *
 * Refreshes run after every sync and ingest (`refreshShippedCommitsOf`), and before every read
 * (`readingShippedCommits`), so a report is right even on a database no ingest refreshed (a
 * fresh migration, a test's rows): the check that nothing is stale is one lookup by project.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Store } from "@/db/client";
import { deployedRepos, derivedShippedCommits, derivedShippedState } from "@/db/schema";
import type { Config, ProjectConfig } from "@/lib/config/load";
import type { Kpi } from "@/lib/kpis/kpi";
import { inRepos } from "@/lib/kpis/sql/fragments";
import { shippingWalk } from "./changes";
import { projectRepos } from "./scope";

/** Bump when `shippingWalk` changes what it derives: every derivation is then made again. */
export const SHIPPED_COMMITS_DEFINITION_VERSION = 1;

/** What a derivation of the project's shipped commits depends on besides the stored records. */
export function shippedCommitsStamp(project: ProjectConfig): string {
  const environments = [...new Set(project.production_environments.map((name) => name.toLowerCase()))].sort();
  return JSON.stringify({ version: SHIPPED_COMMITS_DEFINITION_VERSION, production_environments: environments });
}

/** The project's deployed repos whose derivation is stale: never made, made under another stamp, or marked. */
async function staleRepos(store: Store, project: ProjectConfig, stamp: string): Promise<string[]> {
  const rows = await store.rows<{ repo: string }>(sql`
    SELECT r.repo FROM ${deployedRepos} r
    LEFT JOIN ${derivedShippedState} s ON s.project = ${project.slug} AND s.repo = r.repo
    WHERE ${inRepos(sql`r.repo`, projectRepos(project))}
      AND (s.stamp IS DISTINCT FROM ${stamp} OR s.dirty_from IS NOT NULL)
    ORDER BY r.repo`);
  return rows.map((row) => row.repo);
}

/** Derives one repo's shipped commits again where stale, in one transaction. */
async function refreshRepo(store: Store, project: ProjectConfig, repo: string, stamp: string): Promise<void> {
  await store.db.transaction(async (tx) => {
    // Exclusive of the repo's writers, which hold it shared (migration 0010): wait for the writes
    // in flight, so their rows and marks are seen; later writes wait, then mark what this derived.
    // One refresher of the repo at a time, too (servers sharing a PostgreSQL, a report's KPIs in parallel).
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('derived_shipped_commits'), hashtext(${repo}))`);
    const [state] = await tx.select().from(derivedShippedState)
      .where(and(eq(derivedShippedState.project, project.slug), eq(derivedShippedState.repo, repo)));
    if (state?.stamp === stamp && state.dirtyFrom === null) return; // another refresher did it
    const since = state?.stamp === stamp ? state.dirtyFrom! : "-infinity";
    await tx.execute(sql`DELETE FROM ${derivedShippedCommits}
      WHERE project = ${project.slug} AND repo = ${repo} AND finished_at >= ${since}::timestamptz`);
    await tx.execute(sql`INSERT INTO ${derivedShippedCommits} (project, repo, sha, deployment_id, finished_at)
      SELECT ${project.slug}, w.repo, w.sha, w.deployment_id, w.finished_at FROM (${shippingWalk(project, repo, since)}) AS w`);
    await tx.insert(derivedShippedState).values({ project: project.slug, repo, stamp, dirtyFrom: null })
      .onConflictDoUpdate({ target: [derivedShippedState.project, derivedShippedState.repo], set: { stamp, dirtyFrom: null } });
  });
}

/** Makes the project's shipped-commit derivations fresh. */
export async function refreshShippedCommits(store: Store, project: ProjectConfig): Promise<void> {
  const stamp = shippedCommitsStamp(project);
  for (const repo of await staleRepos(store, project, stamp)) await refreshRepo(store, project, repo, stamp);
}

/** After a sync or an ingest: every project's derivations that its records made stale. */
export async function refreshShippedCommitsOf(store: Store, config: Pick<Config, "projects">): Promise<void> {
  for (const project of config.projects) await refreshShippedCommits(store, project);
}

/** The KPI, refreshing the project's shipped commits before it reads them (its series too: once for all its weeks). */
export function readingShippedCommits(kpi: Kpi): Kpi {
  const reading: Kpi = {
    ...kpi,
    async compute(store, context) {
      await refreshShippedCommits(store, context.project);
      return kpi.compute(store, context);
    },
    async events(store, context, dimension) {
      await refreshShippedCommits(store, context.project);
      return kpi.events(store, context, dimension);
    },
  };
  const { series } = kpi;
  if (!series) return reading;
  return {
    ...reading,
    async series(store, context, weeks) {
      await refreshShippedCommits(store, context.project);
      return series(store, context, weeks);
    },
  };
}
