/**
 * Tailing a deployment-log file (docs/scheduling.md, "Deploy-log files"): the file's stream
 * remembers how far it was read, the file's identity (device and inode, and a hash of its first
 * bytes) and, for CSV, its header row. A file whose identity changed (rotated, replaced) or
 * that is now shorter (truncated) is read again from the start — re-reading is safe, the
 * upserts are idempotent. Only complete lines are read: a last line still being written (no
 * newline yet) waits for the next run. New lines are stored in chunks, each checkpointed, so a
 * run killed in a long file resumes after the last stored chunk.
 */
import { createHash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import { z } from "zod";
import { ingest, UNCHANGED, type Stream } from "@/connectors/stream";
import { csvEntries } from "./csv";
import { formatOf, jsonLinesEntries, splitLines, type Entry } from "./index";
import type { Line } from "./lines";

/** How many leading bytes identify a file's content, beside its inode (catches copy-truncate). */
const HEAD_BYTES = 1024;
/** The last newline is searched backwards from the end in blocks of this size. */
const TAIL_BLOCK_BYTES = 64 * 1024;
/** New lines are stored and checkpointed in chunks of about this size. */
export const CHUNK_BYTES = 8 * 1024 * 1024;

const fileCursor = z.object({
  /** `dev:ino` of the file read. */
  identity: z.string(),
  /** sha256 of its first `headBytes` bytes. */
  head: z.string(),
  headBytes: z.number().int().nonnegative(),
  /** Bytes read: the end of the last complete line. */
  offset: z.number().int().nonnegative(),
  /** Lines before `offset`, so rejections keep the file's line numbers. */
  lines: z.number().int().nonnegative(),
  /** A CSV file's header row, needed to read on from the middle. */
  header: z.string().nullable(),
});
type FileCursor = z.infer<typeof fileCursor>;

/** The stream of one file (its absolute path); `chunkBytes` is lowered by tests. */
export function fileStream(chunkBytes = CHUNK_BYTES): Stream<string, null, FileCursor> {
  return {
    name: "lines",
    cursor: fileCursor,
    async read({ partition: file, state, emit, log }) {
      const format = formatOf(file);
      const handle = await open(file);
      try {
        const stat = await handle.stat({ bigint: true });
        if (!stat.isFile()) throw new Error("is not a file");
        const identity = `${stat.dev}:${stat.ino}`;
        const previous = state?.cursor ?? null;
        const restarted = previous ? await whyRestart(handle, previous, identity, Number(stat.size)) : undefined;
        if (restarted) log(`${file}: ${restarted}, read again from the start`);
        let from = previous && !restarted ? previous : { offset: 0, lines: 0, header: null };
        const end = await lastLineEnd(handle, from.offset, Number(stat.size));
        if (end === from.offset) return UNCHANGED;
        while (from.offset < end) {
          const chunkEnd = from.offset + chunkBytes < end ? await lastLineEnd(handle, from.offset, from.offset + chunkBytes) : end;
          // A line longer than a chunk: the rest of the file is one chunk.
          const upTo = chunkEnd === from.offset ? end : chunkEnd;
          const range = readLines(handle, from, upTo, format);
          const entries = format === "csv" ? csvEntries(range.lines, file) : jsonLinesEntries(range.lines);
          await emit([ingest(file, renumbered(entries, range.lineShift), { key: file })]);
          const headBytes = Math.min(upTo, HEAD_BYTES);
          const next: FileCursor = { identity, head: await hashHead(handle, headBytes), headBytes, offset: upTo, lines: from.lines + range.linesRead(), header: range.header() };
          await emit([], { cursor: next, etag: null });
          from = next;
        }
        return UNCHANGED;
      } finally {
        await handle.close();
      }
    },
  };
}

async function whyRestart(handle: FileHandle, previous: FileCursor, identity: string, size: number): Promise<"replaced" | "truncated" | undefined> {
  if (previous.identity !== identity) return "replaced";
  if (size < previous.offset) return "truncated";
  // Same inode, not shorter: still truncated and rewritten if its first bytes changed.
  if ((await hashHead(handle, previous.headBytes)) !== previous.head) return "truncated";
  return undefined;
}

/**
 * The lines of bytes [from.offset, end) of the file. Resuming a CSV file mid-way, its remembered
 * header row goes first so the reader knows the columns; `lineShift` maps the reader's line
 * numbers back to the file's.
 */
function readLines(handle: FileHandle, from: Pick<FileCursor, "offset" | "lines" | "header">, end: number, format: "jsonl" | "csv") {
  const withHeader = format === "csv" && from.offset > 0 && from.header !== null;
  const bytes = handle.createReadStream({ start: from.offset, end: end - 1, autoClose: false, highWaterMark: 256 * 1024 });
  let header = from.offset > 0 ? from.header : null;
  let last = 0;
  async function* chunks() {
    if (withHeader) yield Buffer.from(`${from.header}\n`);
    yield* bytes;
  }
  async function* lines(): AsyncGenerator<Line> {
    for await (const line of splitLines(chunks())) {
      last = line.number;
      if (header === null && format === "csv" && line.refused === undefined && /\S/.test(line.text)) header = line.text;
      yield line;
    }
  }
  return {
    lines: lines(),
    lineShift: withHeader ? from.lines - 1 : from.lines,
    /** Complete lines read from the file (the header put in front is not one of them). */
    linesRead: () => (withHeader ? last - 1 : last),
    header: () => header,
  };
}

async function* renumbered(entries: AsyncIterable<Entry>, shift: number): AsyncGenerator<Entry> {
  for await (const entry of entries) yield shift ? { ...entry, line: entry.line + shift } : entry;
}

/** The offset just past the last newline in [from, size), or `from` when there is none. */
async function lastLineEnd(handle: FileHandle, from: number, size: number): Promise<number> {
  const block = Buffer.alloc(TAIL_BLOCK_BYTES);
  for (let end = size; end > from; ) {
    const start = Math.max(from, end - TAIL_BLOCK_BYTES);
    const { bytesRead } = await handle.read(block, 0, end - start, start);
    const newline = block.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (newline !== -1) return start + newline + 1;
    end = start;
  }
  return from;
}

async function hashHead(handle: FileHandle, bytes: number): Promise<string> {
  const buffer = Buffer.alloc(bytes);
  const { bytesRead } = bytes ? await handle.read(buffer, 0, bytes, 0) : { bytesRead: 0 };
  return createHash("sha256").update(buffer.subarray(0, bytesRead)).digest("hex");
}
