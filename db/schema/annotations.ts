/**
 * Notes people put on a project's charts ("moved to the new cluster"): a date, a line of text,
 * optionally the KPI it is about, and who added it when. The events Shipshape marks by itself
 * (target changes, releases, model versions reaching production) are read from their own
 * records at read time (lib/annotations/events.ts) and never copied here.
 */
import { date, index, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { z } from "zod";
import { instant } from "./columns";

/** A note is one line of a chart's legend, not a document: short enough to read in a tooltip. */
export const ANNOTATION_MAX_LENGTH = 280;

/**
 * `kpi` is '' for a note on the whole project (every chart of it), so (project, kpi, at, text)
 * stays a plain unique key: the same note posted twice is stored once.
 */
export const annotations = pgTable(
  "annotations",
  {
    id: serial("id").primaryKey(),
    project: text("project").notNull(),
    kpi: text("kpi").notNull().default(""),
    /** The calendar day the note is about, in the project's zone. */
    at: date("at", { mode: "string" }).notNull(),
    text: text("text").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("annotations_key").on(t.project, t.kpi, t.at, t.text), index("annotations_project_at").on(t.project, t.at)],
);

export const annotationInput = z.object({
  project: z.string().min(1, "must not be empty"),
  kpi: z.string().trim().nullish().transform((kpi) => kpi || null),
  /** A day of the calendar: 2026-02-30 is refused too. */
  at: z.iso.date({ message: "must be a date YYYY-MM-DD" }),
  text: z
    .string({ message: "must be text" })
    .transform((text) => text.replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, "must not be empty").max(ANNOTATION_MAX_LENGTH, `must be at most ${ANNOTATION_MAX_LENGTH} characters`)),
  createdBy: z.string().min(1),
});
