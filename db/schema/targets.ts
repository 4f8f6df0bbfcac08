/** Targets product owners set, and the history of every change to them. */
import { doublePrecision, index, pgTable, serial, text } from "drizzle-orm/pg-core";
import { z } from "zod";
import { instant } from "./columns";

/**
 * Every change is a row: the target in force at an instant is the latest row set at or before
 * it. `value` null means the target was removed at `set_at`. `dimension` is '' for the
 * project-level entry so the key stays a plain unique tuple.
 */
export const targetChanges = pgTable(
  "target_changes",
  {
    id: serial("id").primaryKey(),
    project: text("project").notNull(),
    kpi: text("kpi").notNull(),
    dimension: text("dimension").notNull().default(""),
    value: doublePrecision("value"),
    warn: doublePrecision("warn"),
    setBy: text("set_by").notNull(),
    setAt: instant("set_at").notNull().defaultNow(),
  },
  (t) => [index("target_changes_lookup").on(t.project, t.kpi, t.dimension, t.setAt)],
);

export const targetInput = z.object({
  project: z.string().regex(/^[a-z0-9-]+$/),
  kpi: z.string().min(1),
  dimension: z.string().default(""),
  value: z.number().finite(),
  warn: z.number().finite().nonnegative().optional(),
  setBy: z.string().min(1),
});
