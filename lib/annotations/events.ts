/**
 * The events that explain a line, marked on the charts without anyone writing them down: a
 * target set, changed or removed (target_changes), a GitHub release of one of the project's
 * repos, a model version reaching production (a completed production deployment of kind
 * `model`). They are read from the stored records each time, so a release synced later or a
 * target changed today shows at once, and nothing is stored twice.
 */
import { sql } from "drizzle-orm";
import type { Store } from "@/db/client";
import type { ProjectConfig } from "@/lib/config/load";
import { formatExact } from "@/lib/format/values";
import { findKpiIdentity } from "@/lib/kpis/ids";
import { deploymentOfProject, isCompletedProduction, projectRepos } from "@/lib/kpis/entities/scope";
import { inRepos, isoInstant, textArray } from "@/lib/kpis/sql/fragments";
import { targetHistory, type TargetChange } from "@/lib/targets/store";
import { localDate, type ReportWindow } from "@/lib/time/window";
import type { Annotation, AnnotationKind } from "./marks";

export { annotationKinds, type Annotation, type AnnotationKind } from "./marks";

const automatic = (kind: AnnotationKind, at: string, text: string, project: string, kpi: string | null = null, url: string | null = null): Annotation => ({
  kind,
  at,
  text,
  project,
  kpi,
  id: null,
  created_by: null,
  created_at: null,
  url,
});

/** Every automatic mark of the project in the window, oldest first (kind order within a day: targets, releases, models). */
export async function automaticEvents(store: Store, project: ProjectConfig, window: ReportWindow): Promise<Annotation[]> {
  const [targets, releases, models] = await Promise.all([targetEvents(store, project, window), releaseEvents(store, project, window), modelEvents(store, project, window)]);
  return [...targets, ...releases, ...models].sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * A project-level change of a KPI's target or margin (a dimension's target does not move the
 * project's line, and neither does a new owner or due date, which the targets page shows).
 */
async function targetEvents(store: Store, project: ProjectConfig, window: ReportWindow): Promise<Annotation[]> {
  const changes = await targetHistory(store, project.slug);
  return changes
    .filter((change) => change.dimension === null && change.setAt >= window.start && change.setAt < window.end)
    .filter((change) => change.old?.value !== change.new?.value || change.old?.warn !== change.new?.warn)
    .map((change) => automatic("target", localDate(new Date(change.setAt), project.timezone), targetLabel(change), project.slug, change.kpi));
}

/** "Target set: 3/day", "Target changed: 2/day → 3/day", "Target removed (was 3/day)": the target as it was typed. */
export function targetLabel(change: Pick<TargetChange, "kpi" | "old" | "new">): string {
  const unit = findKpiIdentity(change.kpi)?.unit ?? "count";
  const shown = (value: { value: number }) => formatExact(value.value, unit);
  if (!change.new) return change.old ? `Target removed (was ${shown(change.old)})` : "Target removed";
  if (!change.old) return `Target set: ${shown(change.new)}`;
  if (change.old.value === change.new.value) return `Target margin changed: ${shown(change.new)}`;
  return `Target changed: ${shown(change.old)} → ${shown(change.new)}`;
}

/** Published releases (not drafts or pre-releases) of the project's repos. */
async function releaseEvents(store: Store, project: ProjectConfig, window: ReportWindow): Promise<Annotation[]> {
  const repos = projectRepos(project);
  if (repos.length === 0) return [];
  const rows = await store.rows<{ tag: string; name: string | null; url: string | null; published_at: string }>(sql`
    SELECT tag, name, url, ${isoInstant(sql`published_at`)} AS published_at FROM releases
    WHERE ${inRepos(sql`repo`, repos)} AND NOT draft AND NOT prerelease
      AND published_at >= ${window.start}::timestamptz AND published_at < ${window.end}::timestamptz
    ORDER BY published_at, id`);
  return rows.map((row) => automatic("release", localDate(new Date(row.published_at), project.timezone), releaseLabel(row.tag, row.name), project.slug, null, row.url));
}

/**
 * "Release v1.10.0" — a release named "Release v1.10.0" (GitHub's habit) or "v1.10.0" reads the
 * same; a name of its own follows its tag: "Release v2.0.0 — Spring cleaning".
 */
export function releaseLabel(tag: string, name: string | null): string {
  const title = name?.replace(/\s+/g, " ").trim() ?? "";
  if (!title || title === tag) return `Release ${tag}`;
  if (/^release\b/i.test(title)) return title.includes(tag) ? title : `${title} (${tag})`;
  if (title.includes(tag)) return `Release ${title}`;
  return `Release ${tag} — ${title}`;
}

/** A model version reaching production: a completed production deployment of kind `model` of one of the project's models. */
async function modelEvents(store: Store, project: ProjectConfig, window: ReportWindow): Promise<Annotation[]> {
  if (project.models.length === 0) return [];
  const rows = await store.rows<{ model: string; version: string | null; finished_at: string }>(sql`
    SELECT d.model, d.version, ${isoInstant(sql`d.finished_at`)} AS finished_at FROM deployments d
    WHERE d.kind = 'model' AND d.model = ANY(${textArray(project.models)}) AND ${deploymentOfProject("d", project)}
      AND ${isCompletedProduction("d", project)}
      AND d.finished_at >= ${window.start}::timestamptz AND d.finished_at < ${window.end}::timestamptz
    ORDER BY d.finished_at, d.id`);
  return rows.map((row) => automatic("model", localDate(new Date(row.finished_at), project.timezone), modelLabel(row.model, row.version), project.slug));
}

/** "fraud-xgb v12 in production": a bare version number gets its "v"; a version without a number reads as it is. */
export function modelLabel(model: string, version: string | null): string {
  const shown = version?.trim() ? (/^\d/.test(version.trim()) ? `v${version.trim()}` : version.trim()) : null;
  return shown ? `${model} ${shown} in production` : `${model}: a new version in production`;
}
