/**
 * CSV with a header row of the record fields. The type comes from a `type` column or, without
 * one, from the file name (`deployments.csv`, `incident-2026.csv`). Cells are strings: numbers
 * and booleans are coerced where the schema wants them, and an empty cell is an absent field.
 *
 * A record is one line (inputs.md: one record per line), and lines reach csv-parse only once
 * splitLines has bounded them and their quotes are known to be well formed: csv-parse cannot
 * recover from a stray quote (it reads on into the following lines as one quoted cell and
 * loses them) nor skip an over-long record and carry on. A line refused here reaches csv-parse
 * as an empty line, which keeps its line numbers those of the file.
 *
 * The header is checked the same way before csv-parse sees it, and for names given twice: a
 * header that cannot be read would otherwise take the first data row as the header and lose
 * it. With a bad header every row of the file is rejected with the header's problem.
 */
import { basename } from "node:path";
import { Readable } from "node:stream";
import { parse, type CsvError, type InfoRecord } from "csv-parse";
import { parse as parseLine } from "csv-parse/sync";
import { deploymentLogTypes, type DeploymentLogType } from "@/db/schema";
import { refusedEntry } from "./jsonl";
import type { Line } from "./lines";
import { checkRecord, type Entry } from "./records";

const NUMERIC_FIELDS = new Set(["value", "limit", "rows"]);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
/** Cells separated by commas, each unquoted (no quote in it) or wholly quoted ("" escapes a quote). */
const WELL_QUOTED = /^(?:[ \t]*"(?:[^"]|"")*"[ \t]*|[^",]*)(?:,(?:[ \t]*"(?:[^"]|"")*"[ \t]*|[^",]*))*$/;
/** Lines are handed to csv-parse in chunks of about this size, not one by one. */
const CHUNK_CHARS = 64 * 1024;

interface ParsedRow {
  record: Record<string, string>;
  info: InfoRecord;
  raw: string;
}

export async function* csvEntries(lines: AsyncIterable<Line>, fileName: string): AsyncGenerator<Entry> {
  const fileType = typeFromFileName(fileName);
  // Rejections found beside csv-parse's records (too-long lines, rows it skipped), handed out
  // between them.
  const aside: Entry[] = [];
  const parser = parse({
    columns: (header: string[]) => header.map((name) => name.trim()),
    trim: true,
    info: true,
    raw: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error, raw) => void aside.push(skippedRow(error, raw ?? "")),
  });
  const input = Readable.from(csvText(lines, aside));
  input.once("error", (error) => parser.destroy(error));
  input.pipe(parser);
  for await (const row of parser as AsyncIterable<ParsedRow>) {
    yield* takeBefore(aside, row.info.lines);
    yield rowEntry(row, fileType);
  }
  yield* takeBefore(aside, Infinity);
}

/** Removes and returns, in line order, the entries before `line`: output stays in file order. */
function takeBefore(entries: Entry[], line: number): Entry[] {
  if (entries.length === 0) return entries;
  entries.sort((a, b) => a.line - b.line);
  const count = entries.findIndex((entry) => entry.line >= line);
  return entries.splice(0, count === -1 ? entries.length : count);
}

async function* csvText(lines: AsyncIterable<Line>, aside: Entry[]): AsyncGenerator<string> {
  let chunk = "";
  // undefined until the header (the first line that is not blank) is read; then null, or its problem.
  let badHeader: string | null | undefined;
  for await (const line of lines) {
    const text = line.refused === undefined ? line.text : undefined;
    const blank = text !== undefined && !/\S/.test(text);
    let refused = line.refused !== undefined ? refusedEntry(line) : blank ? undefined : misquoted(line.number, line.text);
    if (badHeader === undefined && !blank) {
      badHeader = headerProblem(line, refused);
      refused = undefined; // the header is no record: its problem goes to every row instead
    } else if (badHeader && !refused && !blank) {
      refused = { ok: false, line: line.number, raw: text!, reason: badHeader };
    }
    if (refused) aside.push(refused);
    chunk += `${refused || badHeader || text === undefined ? "" : text}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

const NOT_VALID_CSV = "not valid CSV (a quote is not closed, or is not at the start and end of a cell)";

function misquoted(line: number, text: string): Entry | undefined {
  if (!text.includes('"') || WELL_QUOTED.test(text)) return undefined;
  return { ok: false, line, raw: text, reason: NOT_VALID_CSV };
}

/** Why the header line cannot name the columns, as the reason its rows are rejected with; null when it can. */
function headerProblem(line: Line, refused: Entry | undefined): string | null {
  const header = `the header (line ${line.number})`;
  // "line is longer than 1 MiB" → "the header (line 1) is longer than 1 MiB"; "not valid UTF-8" → "… is not valid UTF-8".
  if (line.refused !== undefined) return `${header} ${line.refused.startsWith("line ") ? line.refused.slice("line ".length) : `is ${line.refused}`}`;
  if (refused) return `${header} is ${NOT_VALID_CSV}`;
  const names = (parseLine(line.text, { trim: true, relax_column_count: true }) as string[][])[0] ?? [];
  const twice = names.find((name, index) => name !== "" && names.indexOf(name) !== index);
  return twice === undefined ? null : `${header} names the column ${JSON.stringify(twice)} twice`;
}

function rowEntry({ record, info, raw }: ParsedRow, fileType: DeploymentLogType | undefined): Entry {
  const text = recordText(raw);
  const line = info.lines;
  if (!("type" in record) && !fileType) {
    return { ok: false, line, raw: text, reason: "no type column, and the file name does not start with a record type (e.g. deployments.csv)" };
  }
  return checkRecord(line, text, record, fields(record, fileType));
}

function fields(record: Record<string, string>, fileType: DeploymentLogType | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = fileType ? { type: fileType } : {};
  for (const [name, cell] of Object.entries(record)) {
    if (cell === "") continue;
    if (NUMERIC_FIELDS.has(name) && NUMBER.test(cell)) result[name] = Number(cell);
    else if (name === "hotfix" && BOOLEAN.test(cell)) result[name] = cell.toLowerCase() === "true";
    else result[name] = cell;
  }
  return result;
}

function skippedRow(error: CsvError | undefined, raw: string): Entry {
  const text = recordText(raw);
  const line = Number(error?.lines ?? 0);
  if (error?.code === "CSV_RECORD_INCONSISTENT_COLUMNS") {
    const { record, columns } = error as unknown as { record: unknown[]; columns: unknown[] };
    return { ok: false, line, raw: text, reason: `row has ${cells(record.length)}, the header has ${cells(columns.length)}` };
  }
  // csv-parse ends its messages with "at line N": the line is reported on its own.
  const message = (error?.message ?? "unreadable row").replace(/:? (at|on) line \d+\.?$/, "");
  return { ok: false, line, raw: text, reason: `not valid CSV (${message})` };
}

const cells = (count: number) => `${count} cell${count === 1 ? "" : "s"}`;

/** The record's own text: csv-parse's raw also holds the empty lines it skipped before it. */
function recordText(raw: string): string {
  return raw.replace(/^\n+/, "").replace(/\n$/, "");
}

/** `deployments.csv`, `incident-2026.csv`, `data-refreshes_eu.csv` → the type they name. */
function typeFromFileName(path: string): DeploymentLogType | undefined {
  const name = basename(path).toLowerCase().replaceAll("-", "_");
  return deploymentLogTypes.find((type) =>
    [type, type.endsWith("h") ? `${type}es` : `${type}s`].some((word) => name.startsWith(word) && !/[a-z]/.test(name.charAt(word.length))),
  );
}
