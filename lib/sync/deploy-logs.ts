/**
 * The `deploy_logs` source: the files its `paths` globs match, each read incrementally
 * (docs/scheduling.md). Per file, stream_states remembers how far it was read, the file's
 * identity (device and inode, and a hash of its first bytes) and, for CSV, its header row. A
 * file whose identity changed (rotated, replaced) or that is now shorter (truncated) is read
 * again from the start — re-reading is safe, the upserts are idempotent. Only complete lines
 * are read: a last line still being written (no newline yet) waits for the next run.
 */
import { createHash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import { dirname, extname, resolve } from "node:path";
import { glob } from "tinyglobby";
import { z } from "zod";
import { csvEntries } from "@/connectors/deploy-log/csv";
import { FORMATS, jsonLinesEntries, splitLines, type Entry } from "@/connectors/deploy-log";
import type { Line } from "@/connectors/deploy-log/lines";
import type { Store } from "@/db/client";
import type { Config } from "@/lib/config/load";
import { ingestEntries } from "@/lib/ingest/ingest";
import type { SourceSync } from "./run";
import { readCursor, saveCursor } from "./stream-state";

const SOURCE = "deploy_logs";
/** How many leading bytes identify a file's content, beside its inode (catches copy-truncate). */
const HEAD_BYTES = 1024;
/** The last newline is searched backwards from the end in blocks of this size. */
const TAIL_BLOCK_BYTES = 64 * 1024;

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

export interface FileRead {
  accepted: number;
  rejected: number;
  /** Why the file was read from the start again although it had been read before. */
  restarted?: "replaced" | "truncated";
}

export function deployLogsSync(): SourceSync {
  return async (context) => {
    const settings = context.config.sources.deploy_logs;
    if (!settings) throw new Error("sources.deploy_logs is not configured");
    const files = (await matchingFiles(context.config, settings.paths)).filter((file) => !context.only || context.only.includes(file));
    const records: Record<string, number> = {};
    const errors: string[] = [];
    for (const file of files) {
      try {
        const read = await readNewLines(context.store, file);
        if (read.restarted) context.log(`${file}: ${read.restarted}, read again from the start`);
        if (read.accepted) records[file] = read.accepted;
        if (read.rejected) records[`${file}:rejected`] = read.rejected;
      } catch (error) {
        errors.push(`${file}: ${describeFileError(error)}`);
      }
    }
    if (files.length === 0) context.log(`no file matches ${settings.paths.join(", ")}`);
    return { records, requests: 0, errors, parts: files.length };
  };
}

/** Absolute paths of the files the globs match, sorted; relative globs are relative to the configuration file. */
export async function matchingFiles(config: Pick<Config, "path">, patterns: string[]): Promise<string[]> {
  const cwd = config.path ? dirname(resolve(config.path)) : process.cwd();
  const files = await glob(patterns, { cwd, absolute: true, onlyFiles: true, expandDirectories: false });
  return files.sort();
}

/** Ingests the complete lines of `file` not read before, then remembers how far it got. */
export async function readNewLines(store: Store, file: string): Promise<FileRead> {
  const format = FORMATS[extname(file).toLowerCase()];
  if (!format) throw new Error(`unknown file type "${extname(file)}" (use .jsonl, .ndjson, .json or .csv)`);
  const handle = await open(file);
  try {
    const stat = await handle.stat({ bigint: true });
    if (!stat.isFile()) throw new Error("is not a file");
    const identity = `${stat.dev}:${stat.ino}`;
    const size = Number(stat.size);
    const previous = await readCursor(store, SOURCE, file, fileCursor);
    const restarted = previous ? await whyRestart(handle, previous, identity, size) : undefined;
    const from = previous && !restarted ? previous : { offset: 0, lines: 0, header: null };

    const end = await lastLineEnd(handle, from.offset, size);
    if (end === from.offset) return { accepted: 0, rejected: 0, restarted };
    const headBytes = Math.min(end, HEAD_BYTES);
    const head = await hashHead(handle, headBytes);

    const range = readLines(handle, from, end, format);
    const entries = format === "csv" ? csvEntries(range.lines, file) : jsonLinesEntries(range.lines);
    const result = await ingestEntries(store, file, renumbered(entries, range.lineShift));
    const cursor: FileCursor = { identity, head, headBytes, offset: end, lines: from.lines + range.linesRead(), header: range.header() };
    await saveCursor(store, SOURCE, file, cursor);
    return { accepted: result.accepted, rejected: result.rejected, restarted };
  } finally {
    await handle.close();
  }
}

async function whyRestart(handle: FileHandle, previous: FileCursor, identity: string, size: number): Promise<FileRead["restarted"]> {
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
      if (header === null && format === "csv" && !line.tooLong && /\S/.test(line.text)) header = line.text;
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

function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file (removed while syncing?)";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
