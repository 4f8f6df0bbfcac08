/**
 * Idempotent bulk upserts of source records, keyed by (source, external_id).
 *
 * A batch travels as one JSON parameter and is unpacked by PostgreSQL with
 * json_populate_recordset against the table's own row type: one round trip, no parameter
 * limit, the same SQL on PGlite and PostgreSQL. A record whose raw payload is unchanged is
 * not rewritten, so ingesting the same file twice changes nothing.
 */
import { getTableColumns, getTableName, is, SQL, sql, type Column, type InferInsertModel } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Store } from "./client";

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Columns the database fills itself: never sent, never overwritten. */
const GENERATED = new Set(["id", "stored_at"]);
const KEY = ["source", "external_id"];

export async function upsertRecords<T extends PgTable>(store: Store, table: T, records: InferInsertModel<T>[]): Promise<UpsertCounts> {
  if (records.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const columns = Object.entries(getTableColumns(table)).filter(([, column]) => !GENERATED.has(column.name));
  // One row per key: PostgreSQL refuses to update a row twice in one statement. Last one wins.
  const byKey = new Map<string, Record<string, unknown>>();
  for (const record of records) {
    const row: Record<string, unknown> = {};
    for (const [property, column] of columns) row[column.name] = (record as Record<string, unknown>)[property] ?? literalDefault(column);
    byKey.set(`${row.source}\u0000${row.external_id}`, row);
  }
  const name = sql.identifier(getTableName(table));
  const names = sql.join(columns.map(([, column]) => sql.identifier(column.name)), sql`, `);
  const updates = sql.join(
    columns.filter(([, column]) => !KEY.includes(column.name)).map(([, column]) => sql`${sql.identifier(column.name)} = excluded.${sql.identifier(column.name)}`),
    sql`, `,
  );
  const result = await store.rows<{ inserted: number; touched: number }>(sql`
    WITH written AS (
      INSERT INTO ${name} (${names})
      SELECT ${names} FROM json_populate_recordset(NULL::${name}, ${JSON.stringify([...byKey.values()])}::json)
      ON CONFLICT (source, external_id) DO UPDATE SET ${updates}, stored_at = now()
      WHERE ${name}.raw IS DISTINCT FROM excluded.raw
      RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*)::int AS touched FROM written`);
  const { inserted, touched } = result[0]!;
  return { inserted, updated: touched - inserted, unchanged: records.length - touched };
}

/** The column's schema default (json_populate_recordset sends NULL, not DEFAULT, for a gap). */
function literalDefault(column: Column): unknown {
  return column.hasDefault && column.default !== undefined && !is(column.default, SQL) ? column.default : null;
}
