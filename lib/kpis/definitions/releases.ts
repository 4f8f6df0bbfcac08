import { sql } from "drizzle-orm";
import { releases as releasesTable } from "@/db/schema";
import { countKpi, inWindow } from "@/lib/kpis/sql/samples";
import { inRepos } from "@/lib/kpis/sql/fragments";

/** GitHub releases published in the window in the project's repos; drafts and pre-releases excluded. */
export const releases = countKpi({
  id: "releases",
  title: "Releases",
  description:
    "GitHub releases published in the window in the project's repositories, placed by their publication date; drafts and pre-releases do not count.",
  placedByAt: true,
  samples: (context) => sql`
    SELECT 'release' AS kind, ${releasesTable.repo} || '@' || ${releasesTable.tag} AS id, ${releasesTable.publishedAt} AS at,
      NULL::text AS dimension, NULL::float8 AS value, coalesce(${releasesTable.name}, ${releasesTable.tag}) AS title,
      ${releasesTable.url} AS url, ${releasesTable.source} AS source
    FROM ${releasesTable}
    WHERE ${inRepos(sql`${releasesTable.repo}`, context.project.github?.repos ?? [])}
      AND NOT ${releasesTable.draft} AND NOT ${releasesTable.prerelease}
      AND ${inWindow(sql`${releasesTable.publishedAt}`, context)}`,
});
