/** Targets product owners set, and the history of every change to them. */
import { date, doublePrecision, index, pgTable, serial, text } from "drizzle-orm/pg-core";
import { z } from "zod";
import { instant } from "./columns";

/**
 * Every change is a row: the target in force at an instant is the latest row set at or before
 * it. `value` null means the target was removed at `set_at`. `dimension` is '' for the
 * project-level entry so the key stays a plain unique tuple. `owner` (who answers for the target:
 * a user's email or any name) and `due` (the date it should be met by) are part of each row
 * like the margin: a change of either is a change of the target.
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
    owner: text("owner"),
    due: date("due", { mode: "string" }),
    setBy: text("set_by").notNull(),
    setAt: instant("set_at").notNull().defaultNow(),
  },
  (t) => [index("target_changes_lookup").on(t.project, t.kpi, t.dimension, t.setAt)],
);

/** The longest owner name or email stored: a name, not a paragraph. */
export const MAX_OWNER_LENGTH = 120;

/** Who owns a target: one line of text, a name or an email address. */
export const targetOwner = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(MAX_OWNER_LENGTH, `must be at most ${MAX_OWNER_LENGTH} characters`)
  // eslint-disable-next-line no-control-regex -- a line break or control character in a name is a paste mistake
  .refine((owner) => !/[\u0000-\u001f\u007f]/.test(owner), "must be one line of text");

/** The date a target should be met by: a real calendar date, in the years a plan can mean. */
export const targetDue = z.iso
  .date({ message: "must be a date YYYY-MM-DD" })
  .refine((due) => due >= "2000-01-01" && due <= "2100-12-31", "must be between 2000-01-01 and 2100-12-31");

export const targetInput = z.object({
  project: z.string().regex(/^[a-z0-9-]+$/),
  kpi: z.string().min(1),
  dimension: z.string().default(""),
  value: z.number().finite(),
  warn: z.number().finite().nonnegative().optional(),
  owner: targetOwner.optional(),
  due: targetDue.optional(),
  setBy: z.string().min(1),
});
