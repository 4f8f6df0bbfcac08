/**
 * Values as the database can store them. PostgreSQL (and PGlite) refuse U+0000 in `text` and
 * `jsonb`, and JSON with a lone UTF-16 surrogate (`"\ud83d"`, half of an emoji cut in two);
 * one such character in one record made the whole batch fail. Sources send both (a real Jira
 * summary ended in U+0000), so every writer of source text or JSON passes its values through
 * here first: U+0000 and lone surrogates are removed from every string — object keys too —
 * of normalized columns and raw payloads alike. Paired surrogates (emoji) are kept.
 *
 * A JSON value nested deeper than MAX_NESTING levels is cut at that depth (JSON.stringify
 * would overflow the stack a few thousand levels down): the part below is replaced by
 * NESTING_CUT. Ingest rejects such records before they get here (docs/ingest.md); this only
 * keeps every other writer from crashing on one.
 *
 * Cleaning is the rare case: a value whose JSON text shows no NUL and no surrogate escape is
 * returned as it is, without being copied.
 */

/** Levels of arrays and objects a stored JSON value may have (a record object is level 1). */
export const MAX_NESTING = 64;

/** What a part nested deeper than MAX_NESTING is stored as. */
export const NESTING_CUT = `[nested more than ${MAX_NESTING} levels deep: not stored]`;

/** A NUL or a surrogate as JSON.stringify writes them (it escapes every lone surrogate). */
const SUSPECT_JSON = /\\u(?:0000|d[89a-f][0-9a-f]{2})/i;
/** A NUL or any surrogate code unit (paired ones too: the replacement below keeps those). */
// eslint-disable-next-line no-control-regex -- matching U+0000 is the point
const SUSPECT_TEXT = /[\u0000\ud800-\udfff]/;
/** What is removed: NUL, a high surrogate not followed by a low one, a low one not after a high one. */
// eslint-disable-next-line no-control-regex -- likewise
const REFUSED_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The value with every string made storable and its nesting bounded; the value itself when nothing needs it. */
export function storable<T>(value: T): T {
  return jsonOf(value).cleaned;
}

/** JSON text of `storable(value)`, for values sent as one JSON parameter. */
export function storableJson(value: unknown): string {
  return jsonOf(value).text;
}

/** `text` without U+0000 and lone surrogates. */
export function storableText(text: string): string {
  return SUSPECT_TEXT.test(text) ? text.replace(REFUSED_TEXT, "") : text;
}

/** Whether `value` has more than `limit` levels of arrays and objects; stops looking at the limit. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (limit === 0) return true;
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => nestedDeeperThan(child, limit - 1));
}

/** The value's JSON text when it needs no cleaning (no NUL, no surrogate escape, not too deep); else undefined. */
export function jsonIfStorable(value: unknown): string | undefined {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    // Maximum call stack size exceeded: nested too deep. Anything else is not ours to handle.
    if (!(error instanceof RangeError)) throw error;
  }
  return text !== undefined && !SUSPECT_JSON.test(text) ? text : undefined;
}

function jsonOf<T>(value: T): { text: string; cleaned: T } {
  if (value === undefined) return { text: "null", cleaned: value };
  const text = jsonIfStorable(value);
  if (text !== undefined) return { text, cleaned: value };
  const cleaned = clean(value, 0) as T;
  return { text: JSON.stringify(cleaned), cleaned };
}

/** A copy with storable strings; `depth` levels of containers are above it. Recursion stops at MAX_NESTING. */
function clean(value: unknown, depth: number): unknown {
  if (typeof value === "string") return storableText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_NESTING) return NESTING_CUT;
  if (Array.isArray(value)) return value.map((item) => clean(item, depth + 1));
  // Dates and other objects with their own JSON form are left to it.
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) result[storableText(key)] = clean(item, depth + 1);
  return result;
}
