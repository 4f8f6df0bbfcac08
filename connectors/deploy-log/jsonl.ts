/** JSON Lines: one record per line; blank lines are skipped. */
import type { Line } from "./lines";
import { checkRecord, type Entry } from "./records";

/** How the reason of a line that does not parse as JSON begins. */
export const NOT_JSON = "not JSON";

/**
 * The entries of JSON Lines. `check` turns a parsed line into what the caller needs (POST
 * /api/ingest tells CDEvents apart from records); lines that are not JSON are rejections.
 */
export async function* jsonLinesEntries<T = Entry>(
  lines: AsyncIterable<Line>,
  check: (line: number, text: string, value: unknown) => T | Entry = checkRecord,
): AsyncGenerator<T | Entry> {
  for await (const line of lines) {
    if (line.refused !== undefined) {
      yield refusedEntry(line);
      continue;
    }
    if (!/\S/.test(line.text)) continue;
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (error) {
      yield { ok: false, line: line.number, raw: line.text, reason: `${NOT_JSON} (${(error as Error).message})` };
      continue;
    }
    yield check(line.number, line.text, value);
  }
}

/** A line that could not be read as text (too long, not UTF-8), rejected with its reason. */
export function refusedEntry(line: Extract<Line, { refused: string }>): Entry {
  return { ok: false, line: line.number, raw: line.raw, reason: line.refused };
}
