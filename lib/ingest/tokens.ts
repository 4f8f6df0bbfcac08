/**
 * Tokens for the machine doors: `ingest` tokens for POST /api/ingest, `read` tokens for GET
 * /metrics (a Prometheus scraper). A token is shown once when created; only its sha256 is
 * stored, so a leaked database does not leak working tokens. A token opens only its own scope.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Store } from "@/db/client";
import { ingestTokens, type TokenScope } from "@/db/schema";

export { tokenScopes, type TokenScope } from "@/db/schema";

const PREFIX = "shp_";

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createIngestToken(store: Store, name: string, scope: TokenScope = "ingest"): Promise<{ id: number; name: string; scope: TokenScope; token: string }> {
  const token = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  const [row] = await store.db.insert(ingestTokens).values({ name, scope, tokenHash: hashOf(token) }).returning({ id: ingestTokens.id });
  return { id: row!.id, name, scope, token };
}

/** A token as the admin page lists it: never its secret, which is shown once and kept only as a hash. */
export interface IngestTokenSummary {
  id: number;
  name: string;
  scope: TokenScope;
  createdAt: string;
  lastUsedAt: string | null;
}

export async function listIngestTokens(store: Store): Promise<IngestTokenSummary[]> {
  return store.db
    .select({ id: ingestTokens.id, name: ingestTokens.name, scope: ingestTokens.scope, createdAt: ingestTokens.createdAt, lastUsedAt: ingestTokens.lastUsedAt })
    .from(ingestTokens)
    .orderBy(asc(ingestTokens.id));
}

/** Deletes a token; false when there was none with that id. */
export async function revokeIngestToken(store: Store, id: number): Promise<boolean> {
  const deleted = await store.db.delete(ingestTokens).where(eq(ingestTokens.id, id)).returning({ id: ingestTokens.id });
  return deleted.length > 0;
}

/**
 * Whether an `Authorization: Bearer <token>` header carries a known token of `scope`; marks it used.
 *
 * The lookup is by the token's sha256, never by the token: a lookup's timing can at most tell
 * how much of a guess's hash matches a stored hash, which says nothing about the token itself
 * (the reason to compare secrets in constant time), so no JavaScript comparison is needed.
 */
export async function verifyIngestToken(store: Store, authorization: string | null, scope: TokenScope = "ingest"): Promise<boolean> {
  return (await verifiedIngestToken(store, authorization, scope)) !== null;
}

/** The token of `scope` an `Authorization: Bearer <token>` header carries (its id and name; marked used), or null. */
export async function verifiedIngestToken(store: Store, authorization: string | null, scope: TokenScope = "ingest"): Promise<{ id: number; name: string } | null> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
  if (!token) return null;
  const [used] = await store.db
    .update(ingestTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(ingestTokens.tokenHash, hashOf(token)), eq(ingestTokens.scope, scope)))
    .returning({ id: ingestTokens.id, name: ingestTokens.name });
  return used ?? null;
}
