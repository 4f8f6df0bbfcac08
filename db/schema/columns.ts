import { jsonb, text, timestamp } from "drizzle-orm/pg-core";

/** Every stored time is an instant; the report decides the calendar and the zone. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });

/**
 * Columns every source record carries: where it came from, its key in that source, and the
 * payload exactly as received, so a changed definition can be recomputed without refetching.
 */
export const sourceColumns = () => ({
  source: text("source").notNull(),
  externalId: text("external_id").notNull(),
  raw: jsonb("raw").notNull(),
  storedAt: instant("stored_at").notNull().defaultNow(),
});
