/**
 * POST /api/ingest (inputs.md, "HTTP"): deployment-log records and CDEvents as a JSON Lines
 * body, a JSON array or one JSON object, behind an ingest token. The body is read whole but never past the size limit, counted
 * after decompression (gzip, deflate and br bodies are taken: deployment pipelines send them).
 *
 * Text is UTF-8 unless the Content-Type declares another charset, which is then decoded as
 * declared (any WHATWG Encoding label: windows-1252, iso-8859-1, utf-16 …). In JSON Lines a
 * line that is not valid UTF-8 is rejected on its own; a JSON array is one document, so a bad
 * byte in it refuses the body (400).
 */
import { isUtf8 } from "node:buffer";
import { isCDEvent } from "@/connectors/cdevents/payloads";
import { checkRecord, jsonLinesEntries, NOT_JSON, notUtf8, splitLines, type Entry } from "@/connectors/deploy-log";
import type { Store } from "@/db/client";
import { storableJson } from "@/db/storable";
import { refreshShippedCommitsOf } from "@/lib/kpis/entities/shipped-derivation";
import type { Config } from "@/lib/config/load";
import { BODY_LIMITS, readBody } from "@/lib/server/body";
import { cdeventEntries, type EventItem } from "./cdevents";
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
  const items = await bodyItems(body);
  if (typeof items === "string") return Response.json({ error: items }, { status: 400 });
  const records = items.filter((item): item is Entry => !("value" in item));
  const events = items.filter((item): item is EventItem => "value" in item);
  const fromEvents = await cdeventEntries(store, events);
  const rejected: { line: number; error: string }[] = [];
  // In body order, so the answer lists rejected lines from the first.
  const entries = [...records, ...fromEvents.entries].sort((a, b) => a.line - b.line);
  await ingestEntries(store, HTTP_ORIGIN, entries, {
    config,
    onRejected: ({ line, reason }) => void rejected.push({ line, error: reason }),
  });
  await refreshShippedCommitsOf(store, config);
  rejected.sort((a, b) => a.line - b.line);
  // Every line is accepted, rejected or (a CDEvent of a type not mapped) ignored; two events of one incident are one record.
  const answer = { accepted: items.length - rejected.length - fromEvents.ignored, rejected, ...(events.length > 0 && { ignored: fromEvents.ignored }) };
  return Response.json(answer, { status: rejected.length ? 207 : 200 });
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

/** A line of the body: a deployment-log entry, or a CDEvent to read with the others. */
type Item = Entry | EventItem;

const itemOf = (line: number, text: string, value: unknown): Item => (isCDEvent(value) ? { line, text, value } : checkRecord(line, text, value));

/** The body's items, or why it is neither JSON Lines, a JSON array nor one JSON object. */
async function bodyItems(body: Buffer): Promise<Item[] | string> {
  const text = body.toString("utf8").replace(/^\uFEFF/, "");
  if (!/\S/.test(text)) return "the body is empty: send JSON Lines or a JSON array of records";
  const single = isUtf8(body) ? oneObject(text) : undefined;
  if (single !== undefined) return [itemOf(1, storableJson(single), single)];
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
    return records.map((record, index) => itemOf(index + 1, storableJson(record), record));
  }
  const items: Item[] = [];
  for await (const item of jsonLinesEntries(splitLines([body]), itemOf)) items.push(item);
  if (items.every((item) => "ok" in item && !item.ok && item.reason.startsWith(NOT_JSON))) return "the body is neither JSON Lines nor a JSON array";
  return items;
}

/** The body as one JSON object spread over lines (a CloudEvent as most senders write it), else undefined. */
function oneObject(text: string): object | undefined {
  if (!text.trimStart().startsWith("{") || !/\n\s*\S/.test(text.trim())) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
