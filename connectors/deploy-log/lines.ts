/**
 * Splits a byte stream into numbered lines with bounded memory. readline would hold a line of
 * any length (a 10 GB line would take 10 GB), so lines longer than the limit are cut short:
 * only their first bytes are kept, to show which line it was, and the rest is skipped.
 *
 * Lines are UTF-8. A line that is not (Latin-1 bytes, a cut multi-byte character) is refused
 * rather than read with U+FFFD in place of its bad bytes, which would store text nobody sent.
 */
import { isUtf8 } from "node:buffer";

/** Longer lines are rejected (docs/ingest.md). */
export const MAX_LINE_BYTES = 1024 * 1024;
/** How much of a too-long line is kept as its raw text. */
export const TOO_LONG_PREFIX_BYTES = 1024;

export const TOO_LONG = "line is longer than 1 MiB";

export type Line =
  /** `text` without its line end (LF or CRLF) and, on line 1, without a UTF-8 BOM. */
  | { number: number; text: string; refused?: undefined }
  /** A line that cannot be read as text: why not, and what of it is kept to show which line it was. */
  | { number: number; refused: string; raw: string };

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
    const line: Line = tooLong ? { number, refused: TOO_LONG, raw: parts[0]!.toString("utf8") } : decode(number, parts);
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

function decode(number: number, parts: Buffer[]): Line {
  const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  let text = bytes.toString("utf8");
  // U+FFFD is where decoding replaced bad bytes, or one that was sent: only then check.
  if (text.includes("\uFFFD") && !isUtf8(bytes)) return { number, refused: notUtf8(bytes, text), raw: text };
  if (text.endsWith("\r")) text = text.slice(0, -1);
  if (number === 1 && text.startsWith("\uFEFF")) text = text.slice(1);
  return { number, text };
}

/** "not valid UTF-8 (0xE9 at byte 12)": the first byte that decoding replaced. */
export function notUtf8(bytes: Buffer, text = bytes.toString("utf8")): string {
  const REPLACEMENT = Buffer.from("\uFFFD");
  for (let at = text.indexOf("\uFFFD"); at !== -1; at = text.indexOf("\uFFFD", at + 1)) {
    const offset = Buffer.byteLength(text.slice(0, at));
    if (!bytes.subarray(offset, offset + 3).equals(REPLACEMENT)) {
      return `not valid UTF-8 (0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, "0")} at byte ${offset + 1})`;
    }
  }
  return "not valid UTF-8";
}
