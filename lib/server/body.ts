/**
 * Request bodies, read with a cap on every route that reads one: a body past its route's limit
 * is answered 413 as soon as it is known — by Content-Length before a byte is read, else once
 * the bytes counted as they arrive pass the limit — so nobody can make the server hold 50 MB
 * before it says no (the routes that need no sign-in read their body before they can answer
 * 401 or 400). Compressed bodies are counted after decompression: a gzip bomb of 10 KB that
 * would inflate to gigabytes is refused at the limit, never held. docs/ingest.md and
 * docs/accounts.md list the limits.
 */
import { pipeline, Readable, Transform } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate, type Gunzip } from "node:zlib";

const KiB = 1024;
const MiB = 1024 * KiB;

export const BODY_LIMITS = {
  /** POST /api/ingest: deployment-log records (inputs.md). */
  ingest: 10 * MiB,
  /** POST /api/webhooks/github: GitHub delivers at most 25 MB; it drops bigger payloads itself. */
  webhook: 25 * MiB,
  /** Small JSON or form bodies: signing in, a target, an unsubscribe click; every page's form (Server Actions). */
  small: 64 * KiB,
} as const;

export interface BodyOptions {
  limit: number;
  /** What to tell a sender whose body is too large, after "the body is larger than N". */
  hint?: string;
  /** Whether gzip, deflate and br bodies are decompressed (else any Content-Encoding is 415). */
  decompress?: boolean;
}

const DECODERS: Record<string, () => Gunzip | ReturnType<typeof createInflate> | ReturnType<typeof createBrotliDecompress>> = {
  gzip: createGunzip,
  "x-gzip": createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** The body's bytes (decompressed when asked), or the response that refuses it: 413, 415 or 400. */
export async function readBody(request: Request, { limit, hint, decompress = false }: BodyOptions): Promise<Buffer | Response> {
  const tooLarge = () => Response.json({ error: `the body is larger than ${size(limit)}${hint ? `: ${hint}` : ""}` }, { status: 413 });
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  const decoder = encoding === "identity" ? undefined : decompress ? DECODERS[encoding] : undefined;
  if (encoding !== "identity" && !decoder) {
    const accepted = decompress ? `send it as gzip, deflate, br or uncompressed` : "send it uncompressed";
    return Response.json({ error: `Content-Encoding "${encoding}" is not supported here: ${accepted}` }, { status: 415 });
  }
  if (Number(request.headers.get("content-length")) > limit) return tooLarge();
  if (!request.body) return Buffer.alloc(0);

  // Counted as received, and again after decompression: empty deflate blocks sent forever
  // inflate to nothing, yet are refused at the limit too.
  const stages: (NodeJS.ReadableStream | NodeJS.WritableStream)[] = [Readable.fromWeb(request.body as WebStream), counting(limit)];
  if (decoder) stages.push(decoder(), counting(limit));
  const bytes = pipeline(stages as never, () => {}) as unknown as Readable;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) chunks.push(chunk);
  } catch (error) {
    bytes.destroy();
    if (error instanceof BodyTooLarge) return tooLarge();
    if ((error as { code?: string }).code?.startsWith("Z_")) {
      return Response.json({ error: `the body is not valid ${encoding} (${(error as Error).message})` }, { status: 400 });
    }
    throw error;
  }
  return Buffer.concat(chunks);
}

/** The body as JSON; undefined when it is not JSON. */
export function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return undefined;
  }
}

class BodyTooLarge extends Error {}

type WebStream = import("node:stream/web").ReadableStream<Uint8Array>;

/** Passes bytes on until more than `limit` have gone through, then fails with BodyTooLarge. */
function counting(limit: number): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      done(total > limit ? new BodyTooLarge() : null, chunk);
    },
  });
}

/** 10 MiB, 64 KiB: how the limits read in messages and docs. */
export function size(bytes: number): string {
  return bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`;
}
