/**
 * Per-stream cursors in stream_states. A connector saves a cursor only after the records it
 * covers are stored, so a run that dies re-reads from the last stored point.
 */
import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Store } from "@/db/client";
import { streamStates } from "@/db/schema";

/** The stream's cursor, or null when it has none or it no longer fits `schema` (a full re-read is safe: upserts are idempotent). */
export async function readCursor<S extends z.ZodType>(store: Store, source: string, stream: string, schema: S): Promise<z.infer<S> | null> {
  const [row] = await store.db
    .select({ cursor: streamStates.cursor })
    .from(streamStates)
    .where(and(eq(streamStates.source, source), eq(streamStates.stream, stream)));
  const parsed = schema.safeParse(row?.cursor);
  return parsed.success ? parsed.data : null;
}

/** Saves the stream's cursor (and, for conditional re-reads, the ETag of its first request). */
export async function saveCursor(store: Store, source: string, stream: string, cursor: unknown, etag?: string | null): Promise<void> {
  const values = { cursor, etag, updatedAt: new Date().toISOString() };
  await store.db
    .insert(streamStates)
    .values({ source, stream, ...values })
    .onConflictDoUpdate({ target: [streamStates.source, streamStates.stream], set: values });
}
