/** Ingest bookkeeping: rejected lines (kept to inspect and re-ingest) and ingest tokens. */
import { index, integer, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { instant } from "./columns";

export const ingestRejections = pgTable(
  "ingest_rejections",
  {
    id: serial("id").primaryKey(),
    /** The file path, or `http` for POST /api/ingest. */
    origin: text("origin").notNull(),
    line: integer("line").notNull(),
    raw: text("raw").notNull(),
    /** sha256 of raw: the same bad line ingested again is kept once. */
    rawHash: text("raw_hash").notNull(),
    reason: text("reason").notNull(),
    rejectedAt: instant("rejected_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("ingest_rejections_key").on(t.origin, t.line, t.rawHash), index("ingest_rejections_at").on(t.rejectedAt)],
);

/** What a token may do: `ingest` posts records (POST /api/ingest), `read` scrapes GET /metrics. */
export const tokenScopes = ["ingest", "read"] as const;
export type TokenScope = (typeof tokenScopes)[number];

export const ingestTokens = pgTable("ingest_tokens", {
  id: serial("id").primaryKey(),
  name: text("name").notNull(),
  scope: text("scope").$type<TokenScope>().notNull().default("ingest"),
  /** sha256 of the token; the token itself is shown once and never stored. */
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: instant("created_at").notNull().defaultNow(),
  lastUsedAt: instant("last_used_at"),
});
