/** Small SQL fragments the KPI queries share, written once for both drivers. */
import { sql, type SQL } from "drizzle-orm";

/** A text[] literal of bound parameters (an empty list is a valid, empty array). */
export function textArray(values: readonly string[]): SQL {
  return sql`ARRAY[${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )}]::text[]`;
}

/** The same, lower-cased: compare with `lower(column) = ANY(...)` for case-insensitive names. */
export function lowerTextArray(values: readonly string[]): SQL {
  return textArray(values.map((value) => value.toLowerCase()));
}

/**
 * `column` (a GitHub `owner/name`) is one of `repos`: a configured `owner/name`, or any repo of
 * an owner configured as `owner/*` (the connector reads every repo of that owner; GitHub's
 * owner names compare case-insensitively).
 */
export function inRepos(column: SQL, repos: readonly string[]): SQL {
  const named = repos.filter((repo) => !repo.endsWith("/*"));
  const owners = repos.filter((repo) => repo.endsWith("/*")).map((repo) => repo.slice(0, -2));
  const exact = sql`${column} = ANY(${textArray(named)})`;
  return owners.length ? sql`(${exact} OR lower(split_part(${column}, '/', 1)) = ANY(${lowerTextArray(owners)}))` : exact;
}

/** An ISO instant bound as timestamptz. */
export function instant(iso: string | Date): SQL {
  return sql`${typeof iso === "string" ? iso : iso.toISOString()}::timestamptz`;
}

/** A timestamptz rendered as ISO 8601 UTC with milliseconds, the same on every driver. */
export function isoInstant(column: SQL): SQL {
  return sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** Elapsed hours between two instants (real hours: a DST night is 23 or 25 of them). */
export function hoursBetween(from: SQL, to: SQL): SQL {
  return sql`(extract(epoch FROM (${to}) - (${from})) / 3600)::float8`;
}
