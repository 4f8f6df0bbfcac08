/**
 * Idempotent bulk upserts of source records, keyed by (source, external_id).
 *
 * A batch travels as one JSON parameter and is unpacked by PostgreSQL with
 * json_populate_recordset against the table's own row type: one round trip, no parameter
 * limit, the same SQL on PGlite and PostgreSQL. A record whose raw payload is unchanged is
 * not rewritten, so ingesting the same file twice changes nothing. Every value is made
 * storable first (./storable.ts: no NUL, no lone surrogate, bounded nesting), so one odd
 * character never fails a batch.
 */
import { getTableColumns, getTableName, is, SQL, sql, type Column, type InferInsertModel } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Store } from "./client";
import { jsonIfStorable, storable } from "./storable";

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

type Row = Record<string, unknown>;

/** Columns the database fills itself: never sent, never overwritten. */
const GENERATED = new Set(["id", "stored_at"]);
const KEY = ["source", "external_id"];

export async function upsertRecords<T extends PgTable>(store: Store, table: T, records: InferInsertModel<T>[]): Promise<UpsertCounts> {
  if (records.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const columns = Object.entries(getTableColumns(table)).filter(([, column]) => !GENERATED.has(column.name));
  let rows = lastPerKey(
    records.map((record) => {
      const row: Row = {};
      for (const [property, column] of columns) row[column.name] = (record as Row)[property] ?? literalDefault(column);
      return row;
    }),
  );
  let json = jsonIfStorable(rows);
  if (json === undefined) {
    // Cleaning may make two keys one (ids that differed by a NUL): one row per key again.
    rows = lastPerKey(rows.map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, storable(value)]))));
    json = JSON.stringify(rows);
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
      SELECT ${names} FROM json_populate_recordset(NULL::${name}, ${json}::json)
      ON CONFLICT (source, external_id) DO UPDATE SET ${updates}, stored_at = now()
      WHERE ${name}.raw IS DISTINCT FROM excluded.raw
      RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*)::int AS touched FROM written`);
  const { inserted, touched } = result[0]!;
  return { inserted, updated: touched - inserted, unchanged: records.length - touched };
}

/** One row per key: PostgreSQL refuses to update a row twice in one statement. Last one wins. */
function lastPerKey(rows: Row[]): Row[] {
  const byKey = new Map<string, Row>();
  for (const row of rows) byKey.set(`${row.source}\u0000${row.external_id}`, row);
  return [...byKey.values()];
}

/** The column's schema default (json_populate_recordset sends NULL, not DEFAULT, for a gap). */
function literalDefault(column: Column): unknown {
  return column.hasDefault && column.default !== undefined && !is(column.default, SQL) ? column.default : null;
}
