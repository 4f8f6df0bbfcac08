/**
 * Splits a byte stream into numbered lines with bounded memory. readline would hold a line of
 * any length (a 10 GB line would take 10 GB), so lines longer than the limit are cut short:
 * only their first bytes are kept, to show which line it was, and the rest is skipped.
 */

/** Longer lines are rejected (docs/ingest.md). */
export const MAX_LINE_BYTES = 1024 * 1024;
/** How much of a too-long line is kept as its raw text. */
export const TOO_LONG_PREFIX_BYTES = 1024;

export type Line =
  /** `text` without its line end (LF or CRLF) and, on line 1, without a UTF-8 BOM. */
  | { number: number; text: string; tooLong?: undefined }
  | { number: number; tooLong: true; prefix: string };

const LF = 0x0a;

export async function* splitLines(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let number = 1;

  const append = (piece: Buffer) => {
    if (tooLong || piece.length === 0) return;
    if (size + piece.length <= MAX_LINE_BYTES) {
      parts.push(piece);
      size += piece.length;
      return;
    }
    tooLong = true;
    parts = [Buffer.concat([...parts, piece], Math.min(TOO_LONG_PREFIX_BYTES, size + piece.length))];
  };
  const finish = (): Line => {
    const line: Line = tooLong
      ? { number, tooLong: true, prefix: parts[0]!.toString("utf8") }
      : { number, text: decode(parts, number === 1) };
    parts = [];
    size = 0;
    tooLong = false;
    number += 1;
    return line;
  };

  for await (const chunk of chunks) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let end = buffer.indexOf(LF, start); end !== -1; end = buffer.indexOf(LF, start)) {
      append(buffer.subarray(start, end));
      yield finish();
      start = end + 1;
    }
    append(buffer.subarray(start));
  }
  if (size > 0 || tooLong) yield finish();
}

function decode(parts: Buffer[], firstLine: boolean): string {
  let text = parts.length === 1 ? parts[0]!.toString("utf8") : Buffer.concat(parts).toString("utf8");
  if (text.endsWith("\r")) text = text.slice(0, -1);
  if (firstLine && text.startsWith("\uFEFF")) text = text.slice(1);
  return text;
}
