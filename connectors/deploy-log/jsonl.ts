/** JSON Lines: one record per line; blank lines are skipped. */
import type { Line } from "./lines";
import { checkRecord, type Entry } from "./records";

/** How the reason of a line that does not parse as JSON begins. */
export const NOT_JSON = "not JSON";

export async function* jsonLinesEntries(lines: AsyncIterable<Line>): AsyncGenerator<Entry> {
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
    yield checkRecord(line.number, line.text, value);
  }
}

/** A line that could not be read as text (too long, not UTF-8), rejected with its reason. */
export function refusedEntry(line: Extract<Line, { refused: string }>): Entry {
  return { ok: false, line: line.number, raw: line.raw, reason: line.refused };
}
