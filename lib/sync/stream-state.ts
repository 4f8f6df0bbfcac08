/**
 * Per-stream states in stream_states (connectors/stream.ts). The runner saves a state only
 * after the records emitted before it are stored, so a run that dies re-reads from the last
 * stored point.
 */
import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import type { StreamState } from "@/connectors/stream";
import type { Store } from "@/db/client";
import { streamStates } from "@/db/schema";
import { storable } from "@/db/storable";

/**
 * The stream's saved state, or null when it has none or its cursor no longer fits `schema`
 * (then the stream reads from scratch, which is safe: writes are idempotent).
 */
export async function loadState<C>(store: Store, source: string, stream: string, schema: z.ZodType<C>): Promise<StreamState<C> | null> {
  const [row] = await store.db
    .select({ cursor: streamStates.cursor, etag: streamStates.etag })
    .from(streamStates)
    .where(and(eq(streamStates.source, source), eq(streamStates.stream, stream)));
  if (!row) return null;
  if (row.cursor === null) return { cursor: null, etag: row.etag };
  const parsed = schema.safeParse(row.cursor);
  return parsed.success ? { cursor: parsed.data, etag: row.etag } : null;
}

export async function saveState(store: Store, source: string, stream: string, state: StreamState): Promise<void> {
  // A cursor can hold source text (a CSV file's header row, a page token).
  const values = { cursor: storable(state.cursor), etag: state.etag, updatedAt: new Date().toISOString() };
  await store.db
    .insert(streamStates)
    .values({ source, stream, ...values })
    .onConflictDoUpdate({ target: [streamStates.source, streamStates.stream], set: values });
}
