/**
 * POST /api/ingest (inputs.md, "HTTP"): deployment-log records as a JSON Lines body or a JSON
 * array, behind an ingest token. The body is read whole but never past the size limit, counted
 * after decompression (gzip, deflate and br bodies are taken: deployment pipelines send them).
 *
 * Text is UTF-8 unless the Content-Type declares another charset, which is then decoded as
 * declared (any WHATWG Encoding label: windows-1252, iso-8859-1, utf-16 …). In JSON Lines a
 * line that is not valid UTF-8 is rejected on its own; a JSON array is one document, so a bad
 * byte in it refuses the body (400).
 */
import { isUtf8 } from "node:buffer";
import { checkRecord, jsonLinesEntries, NOT_JSON, notUtf8, splitLines, type Entry } from "@/connectors/deploy-log";
import type { Store } from "@/db/client";
import { storableJson } from "@/db/storable";
import type { Config } from "@/lib/config/load";
import { BODY_LIMITS, readBody } from "@/lib/server/body";
import { ingestEntries } from "./ingest";
import { verifyIngestToken } from "./tokens";

/** The origin of rejections that came over HTTP. */
export const HTTP_ORIGIN = "http";

export async function handleIngestRequest({ config, store }: { config: Config; store: Store }, request: Request): Promise<Response> {
  if (!(await verifyIngestToken(store, request.headers.get("authorization")))) {
    return Response.json(
      { error: "missing or unknown ingest token (Authorization: Bearer <token>; create one with shipshape tokens create)" },
      { status: 401, headers: { "WWW-Authenticate": "Bearer" } },
    );
  }
  const bytes = await readBody(request, { limit: BODY_LIMITS.ingest, hint: "send the records in smaller requests", decompress: true });
  if (bytes instanceof Response) return bytes;
  const body = asUtf8(bytes, request.headers.get("content-type"));
  if (body instanceof Response) return body;
  const entries = await bodyEntries(body);
  if (typeof entries === "string") return Response.json({ error: entries }, { status: 400 });
  const rejected: { line: number; error: string }[] = [];
  const result = await ingestEntries(store, HTTP_ORIGIN, entries, {
    config,
    onRejected: ({ line, reason }) => void rejected.push({ line, error: reason }),
  });
  return Response.json({ accepted: result.accepted, rejected }, { status: rejected.length ? 207 : 200 });
}

/** The body as UTF-8 bytes: as sent, or decoded from the charset its Content-Type declares. */
function asUtf8(bytes: Buffer, contentType: string | null): Buffer | Response {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "")?.[1]?.toLowerCase();
  if (!charset || charset === "utf-8" || charset === "utf8") return bytes;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    return Response.json({ error: `charset "${charset}" is not a text encoding Shipshape knows: send UTF-8` }, { status: 415 });
  }
  try {
    return Buffer.from(decoder.decode(bytes), "utf8");
  } catch {
    return Response.json({ error: `the body is not valid ${decoder.encoding}, the charset its Content-Type declares` }, { status: 400 });
  }
}

/** The body's entries, or why it is neither JSON Lines nor a JSON array. */
async function bodyEntries(body: Buffer): Promise<Entry[] | string> {
  const text = body.toString("utf8").replace(/^\uFEFF/, "");
  if (!/\S/.test(text)) return "the body is empty: send JSON Lines or a JSON array of records";
  if (text.trimStart().startsWith("[")) {
    if (!isUtf8(body)) return `the body is ${notUtf8(body, text)}: a JSON array must be UTF-8 throughout`;
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
