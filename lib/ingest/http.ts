/**
 * POST /api/ingest (inputs.md, "HTTP"): deployment-log records as a JSON Lines body or a JSON
 * array, behind an ingest token. The body is read whole but never past the size limit.
 */
import { checkRecord, jsonLinesEntries, NOT_JSON, splitLines, type Entry } from "@/connectors/deploy-log";
import type { Store } from "@/db/client";
import { storableJson } from "@/db/storable";
import type { Config } from "@/lib/config/load";
import { ingestEntries } from "./ingest";
import { verifyIngestToken } from "./tokens";

export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** The origin of rejections that came over HTTP. */
export const HTTP_ORIGIN = "http";

export async function handleIngestRequest({ config, store }: { config: Config; store: Store }, request: Request): Promise<Response> {
  if (!(await verifyIngestToken(store, request.headers.get("authorization")))) {
    return Response.json(
      { error: "missing or unknown ingest token (Authorization: Bearer <token>; create one with shipshape tokens create)" },
      { status: 401, headers: { "WWW-Authenticate": "Bearer" } },
    );
  }
  const body = Number(request.headers.get("content-length")) > MAX_BODY_BYTES ? undefined : await readBody(request);
  if (!body) return Response.json({ error: "the body is larger than 10 MiB: send the records in smaller requests" }, { status: 413 });
  const entries = await bodyEntries(body);
  if (typeof entries === "string") return Response.json({ error: entries }, { status: 400 });
  const rejected: { line: number; error: string }[] = [];
  const result = await ingestEntries(store, HTTP_ORIGIN, entries, {
    config,
    onRejected: ({ line, reason }) => void rejected.push({ line, error: reason }),
  });
  return Response.json({ accepted: result.accepted, rejected }, { status: rejected.length ? 207 : 200 });
}

/** The body's bytes, counted as they arrive (Content-Length may be absent or wrong); undefined past the limit. */
async function readBody(request: Request): Promise<Buffer | undefined> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks);
}

/** The body's entries, or why it is neither JSON Lines nor a JSON array. */
async function bodyEntries(body: Buffer): Promise<Entry[] | string> {
  const text = body.toString("utf8").replace(/^\uFEFF/, "");
  if (!/\S/.test(text)) return "the body is empty: send JSON Lines or a JSON array of records";
  if (text.trimStart().startsWith("[")) {
    let records: unknown;
    try {
      records = JSON.parse(text);
    } catch (error) {
      return `the body is not a valid JSON array (${(error as Error).message})`;
    }
    if (!Array.isArray(records)) return "the body is neither JSON Lines nor a JSON array";
    // In an array, a record's "line" is its position, from 1; its text is its JSON, cut where
    // nested too deep (JSON.stringify would overflow the stack).
    return records.map((record, index) => checkRecord(index + 1, storableJson(record), record));
  }
  const entries: Entry[] = [];
  for await (const entry of jsonLinesEntries(splitLines([body]))) entries.push(entry);
  if (entries.every((entry) => !entry.ok && entry.reason.startsWith(NOT_JSON))) return "the body is neither JSON Lines nor a JSON array";
  return entries;
}
