/**
 * Telling apart the database refusing the data it was given (a value out of a column's range,
 * a constraint, a trigger that raises) from the database failing itself, and finding which
 * rows of a batch it refuses. Drizzle wraps a driver's error in one whose message is the whole
 * SQL statement and its parameters; a user is shown the driver's own message, never that.
 */
import type { UpsertCounts } from "./upsert";

/** The driver's error behind a failed query: PostgreSQL's SQLSTATE and message (first line). */
export interface DatabaseCause {
  code: string;
  message: string;
}

/**
 * SQLSTATE classes in which the statement's data is refused: data exception (22), integrity
 * constraint violation (23), triggered action exception (09), WITH CHECK OPTION violation (44),
 * PL/pgSQL RAISE (P0, a trigger's refusal).
 */
const REFUSING_CLASSES = new Set(["22", "23", "09", "44", "P0"]);

/** The PostgreSQL error (postgres.js or PGlite: both carry `severity` and a 5-character `code`) behind `error`, if any. */
export function databaseCause(error: unknown): DatabaseCause | undefined {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, severity, message } = current as { code?: unknown; severity?: unknown; message?: unknown };
    if (typeof code === "string" && code.length === 5 && typeof severity === "string") {
      return { code, message: String(message ?? "").split("\n")[0]! };
    }
  }
  return undefined;
}

/** The database's refusal of the data behind `error`, when that is what it is. */
export function refusalOf(error: unknown): DatabaseCause | undefined {
  const cause = databaseCause(error);
  return cause && REFUSING_CLASSES.has(cause.code.slice(0, 2)) ? cause : undefined;
}

/** A record the database refused, named as a user finds it (a table and key, a file's line). */
export class RecordRefusedError extends Error {
  constructor(
    readonly record: string,
    readonly refusal: DatabaseCause,
  ) {
    super(`the database refused ${record}: ${refusal.message}`);
  }
}

/**
 * Writes `rows` with `write`. When the database refuses the batch, it is halved until the
 * refused rows are found: each goes to `refused` (which may throw to stop), the others are
 * written. Any other failure (the database is down) is not the rows' fault and is thrown.
 */
export async function writeIsolating<R>(
  rows: R[],
  write: (rows: R[]) => Promise<UpsertCounts>,
  refused: (row: R, refusal: DatabaseCause) => void,
): Promise<UpsertCounts> {
  try {
    return await write(rows);
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    if (rows.length === 1) {
      refused(rows[0]!, refusal);
      return { inserted: 0, updated: 0, unchanged: 0 };
    }
    const half = Math.ceil(rows.length / 2);
    const first = await writeIsolating(rows.slice(0, half), write, refused);
    const second = await writeIsolating(rows.slice(half), write, refused);
    return { inserted: first.inserted + second.inserted, updated: first.updated + second.updated, unchanged: first.unchanged + second.unchanged };
  }
}

/** One line for a database error behind `error` (a refusal, or the database failing), in the driver's words; undefined for other errors. */
export function describeDatabaseError(error: unknown): string | undefined {
  if (error instanceof RecordRefusedError) return error.message;
  const cause = databaseCause(error);
  if (!cause) return undefined;
  return REFUSING_CLASSES.has(cause.code.slice(0, 2)) ? `the database refused the records: ${cause.message}` : `the database failed: ${cause.message}`;
}
