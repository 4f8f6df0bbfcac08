/**
 * What a model registry's production pointers did, as Shipshape saw them. An MLflow alias has
 * no history — the registry only knows where it points now — so every sync compares the
 * production aliases (or, on servers before aliases, the `Production` stage) with what it saw
 * before, and keeps each change as an event: a version came `on` a pointer, or went `off` it.
 * The events are append-only (an event, once seen, never changes), so re-reading is harmless;
 * a model's production history (which version was live, from when to when) is derived from
 * them, and so are its deployments.
 */
import { index, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { instant, sourceColumns } from "./columns";

export const pointerChanges = ["on", "off"] as const;
export type PointerChange = (typeof pointerChanges)[number];

export const modelPointerEvents = pgTable(
  "model_pointer_events",
  {
    id: serial("id").primaryKey(),
    /** `raw`: the model version's payload (for `on`), or the registered model's as read at the sync that saw it go (`off`). */
    ...sourceColumns(),
    /** The registered model's name. */
    model: text("model").notNull(),
    /** `alias:<name>` for an alias, `stage:Production` for the stage. */
    pointer: text("pointer").notNull(),
    version: text("version").notNull(),
    change: text("change").$type<PointerChange>().notNull(),
    /** When it happened as far as Shipshape can tell: the sync that saw it (a first sync: the version's last update). */
    at: instant("at").notNull(),
  },
  (t) => [uniqueIndex("model_pointer_events_key").on(t.source, t.externalId), index("model_pointer_events_model").on(t.model, t.at)],
);
