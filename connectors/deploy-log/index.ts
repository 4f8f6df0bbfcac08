/**
 * The deployment log (../../../shared/spec/inputs.md): files of JSON Lines or CSV, read as a
 * stream of entries — each a normalized record or a rejected line with its reason.
 */
import { open } from "node:fs/promises";
import { extname } from "node:path";
import { describeFsError } from "@/connectors/files";
import { csvEntries } from "./csv";
import { jsonLinesEntries } from "./jsonl";
import { splitLines } from "./lines";
import type { Entry } from "./records";

export { jsonLinesEntries, NOT_JSON } from "./jsonl";
export { notUtf8, splitLines } from "./lines";
export { checkRecord, deployLogRecord, recordTables, type Accepted, type Entry, type Rejection } from "./records";

/** A file that cannot be read at all: its message is one line for the user. */
export class DeployLogFileError extends Error {}

export const FORMATS: Record<string, "jsonl" | "csv"> = { ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv" };

/**
 * Opens a deployment-log file and returns its entries, read as they are consumed. Everything
 * that makes the file unreadable as a whole (missing, a directory, no permission, an unknown
 * extension) is thrown here, before the first entry.
 */
export async function readDeployLog(path: string): Promise<AsyncIterable<Entry>> {
  const format = formatOf(path);
  const handle = await open(path).catch((error: NodeJS.ErrnoException) => {
    throw new DeployLogFileError(describeFsError(error));
  });
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw new DeployLogFileError("is not a file");
  }
  const lines = splitLines(handle.createReadStream({ highWaterMark: 256 * 1024 }));
  return format === "csv" ? csvEntries(lines, path) : jsonLinesEntries(lines);
}

/** The file's format by its extension; an unknown extension is a DeployLogFileError. */
export function formatOf(path: string): "jsonl" | "csv" {
  const format = FORMATS[extname(path).toLowerCase()];
  if (!format) throw new DeployLogFileError(`unknown file type "${extname(path)}" (use .jsonl, .ndjson, .json or .csv)`);
  return format;
}
