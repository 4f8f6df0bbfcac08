/**
 * Notes on a project's charts (db/schema/annotations.ts) and the one list the charts, the API
 * and the weekly email read: the notes of a date range merged with the events marked from the
 * stored records (./events.ts), each with its kind. Adding the exact same note (project, KPI,
 * day, text) twice stores it once, so re-running `shipshape annotate` or a retried POST is
 * harmless.
 */
import { and, asc, eq, gte, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Store } from "@/db/client";
import { annotationInput, annotations } from "@/db/schema";
import type { Config } from "@/lib/config/load";
import { projectOf } from "@/lib/config/projects";
import { invalidInput, UserError } from "@/lib/errors/user-error";
import { findKpiIdentity, kpiIds } from "@/lib/kpis/ids";
import { isoInstant } from "@/lib/kpis/sql/fragments";
import { DEFAULT_TREND_WEEKS } from "@/lib/report/trends";
import { completeWeeks } from "@/lib/time/weeks";
import { MAX_CUSTOM_DAYS } from "@/lib/time/window-choice";
import { localDate, reportWindow, shiftDate } from "@/lib/time/window";
import { automaticEvents, type Annotation } from "./events";

export { annotationKinds, type Annotation, type AnnotationKind } from "./events";
export { ANNOTATION_MAX_LENGTH } from "@/db/schema";

export type NoteRequest = z.input<typeof annotationInput>;

const date = z.iso.date({ message: "must be a date YYYY-MM-DD" });

/** POST /api/annotations: `{"at", "text", "project", "kpi"?}` (who comes from the token or the session). */
export const annotationBody = z.strictObject({
  at: date,
  text: z.string(),
  project: z.string(),
  kpi: z.string().nullable().optional(),
});

/** GET /api/projects/SLUG/annotations?from=&to= (default: the 26 weeks up to today). */
export const annotationsQuery = z.object({ from: date.optional(), to: date.optional() });

/** Without `from`, a list reaches this many days back: the 26 weeks the trend charts show. */
const DEFAULT_DAYS = 26 * 7;

/**
 * Adds a note; `created` is false when the same note was already there (then it is the stored
 * one). An unknown project is `not_found`; a bad date, an unknown KPI or an empty or too long
 * text is `invalid`.
 */
export async function addNote(store: Store, config: Config, request: NoteRequest): Promise<{ annotation: Annotation; created: boolean }> {
  const parsed = annotationInput.safeParse(request);
  if (!parsed.success) throw invalidInput(parsed.error);
  const note = parsed.data;
  projectOf(config, note.project);
  if (note.kpi !== null && !findKpiIdentity(note.kpi)) throw new UserError(`unknown KPI "${note.kpi}" (one of ${kpiIds.join(", ")})`, "invalid");
  const key = { project: note.project, kpi: note.kpi ?? "", at: note.at, text: note.text };
  const inserted = await store.db.insert(annotations).values({ ...key, createdBy: note.createdBy }).onConflictDoNothing().returning({ id: annotations.id });
  const [row] = await noteRows(store, and(eq(annotations.project, key.project), eq(annotations.kpi, key.kpi), eq(annotations.at, key.at), eq(annotations.text, key.text)));
  return { annotation: row!, created: inserted.length > 0 };
}

/** The notes of a project whose day is in [from, to], oldest first. */
export async function listNotes(store: Store, project: string, from: string, to: string): Promise<Annotation[]> {
  return noteRows(store, and(eq(annotations.project, project), gte(annotations.at, from), lte(annotations.at, to)));
}

/**
 * Every mark of the project in [from, to] (calendar days in its zone), oldest first: notes and
 * the automatic events. Without `to`, up to today; without `from`, the 26 weeks before `to`.
 */
export async function projectAnnotations(
  store: Store,
  config: Config,
  request: { project: string; from?: string; to?: string; now?: Date },
): Promise<{ project: string; from: string; to: string; timezone: string; annotations: Annotation[] }> {
  const project = projectOf(config, request.project);
  const parsed = annotationsQuery.safeParse({ from: request.from, to: request.to });
  if (!parsed.success) throw invalidInput(parsed.error);
  const to = parsed.data.to ?? localDate(request.now ?? new Date(), project.timezone);
  const from = parsed.data.from ?? shiftDate(to, 1 - DEFAULT_DAYS);
  const window = reportWindow(from, to, project.timezone);
  if (window.days < 1) throw new UserError(`from (${from}) is after to (${to})`, "invalid");
  if (window.days > MAX_CUSTOM_DAYS) throw new UserError(`from–to is ${window.days} days; at most ${MAX_CUSTOM_DAYS} at a time`, "invalid");
  const [notes, events] = await Promise.all([listNotes(store, project.slug, from, to), automaticEvents(store, project, window)]);
  // Stable: on one day the automatic events come before the notes that explain them.
  const merged = [...events, ...notes].sort((a, b) => a.at.localeCompare(b.at));
  return { project: project.slug, from, to, timezone: project.timezone, annotations: merged };
}

async function noteRows(store: Store, where: ReturnType<typeof and>): Promise<Annotation[]> {
  const rows = await store.db
    .select({
      id: annotations.id,
      project: annotations.project,
      kpi: annotations.kpi,
      at: annotations.at,
      text: annotations.text,
      createdBy: annotations.createdBy,
      createdAt: sql<string>`${isoInstant(sql`${annotations.createdAt}`)}`,
    })
    .from(annotations)
    .where(where)
    .orderBy(asc(annotations.at), asc(annotations.id));
  return rows.map((row) => ({
    kind: "note",
    at: row.at,
    text: row.text,
    project: row.project,
    kpi: row.kpi || null,
    id: row.id,
    created_by: row.createdBy,
    created_at: row.createdAt,
    url: null,
  }));
}

/**
 * The marks of the weeks a trend chart shows: the `weeks` complete weeks before the week that
 * contains `until` (as GET /api/projects/SLUG/trends?until= counts them; default 26).
 */
export async function trendAnnotations(store: Store, config: Config, request: { project: string; until: string; weeks?: number }): Promise<Annotation[]> {
  const project = projectOf(config, request.project);
  const weeks = completeWeeks(project.timezone, request.weeks ?? DEFAULT_TREND_WEEKS, request.until);
  const { annotations } = await projectAnnotations(store, config, { project: project.slug, from: weeks[0]!.from, to: weeks.at(-1)!.to });
  return annotations;
}
