/**
 * Applies the writes of a stream's batch (connectors/stream.ts) in order, and counts them in
 * the run's records. A record the database refuses stops the batch with a RecordRefusedError
 * naming it (table and external id, or a file's line); the other records of its write are
 * stored and counted, and the stream's state is not saved, so the next run tries it again.
 */
import { and, eq, getTableColumns, getTableName, gte, inArray, not, sql, type Column, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Count, Write } from "@/connectors/stream";
import type { Store } from "@/db/client";
import { RecordRefusedError, writeIsolating, type DatabaseCause } from "@/db/refusals";
import { storable } from "@/db/storable";
import { upsertRecords, type UpsertCounts } from "@/db/upsert";
import type { Config } from "@/lib/config/load";
import { ingestEntries, IngestRefusedError, type IngestResult } from "@/lib/ingest/ingest";

/** Records per key, e.g. {"acme/api:pulls": 12}; keys with nothing counted are left out. */
export class Tally {
  readonly records: Record<string, number> = {};
  /** Records counted under every key. */
  total = 0;

  add(key: string, n: number): void {
    if (n <= 0) return;
    this.records[key] = (this.records[key] ?? 0) + n;
    this.total += n;
  }

  counted(count: Count | undefined, rows: number, written: UpsertCounts): void {
    if (count) this.add(count.key, count.changedOnly ? written.inserted + written.updated : rows);
  }
}

/**
 * Applies every write of the batch, also after one whose record the database refused (so the
 * good records of the page are kept), then throws the first refusal. Any other failure stops
 * at once. `config` is what ingested records are checked against (the projects incidents name).
 */
export async function applyWrites(store: Store, writes: Write[], tally: Tally, config: Pick<Config, "projects">): Promise<void> {
  let refused: RecordRefusedError | undefined;
  for (const write of writes) {
    try {
      await apply(store, write, tally, config);
    } catch (error) {
      if (!(error instanceof RecordRefusedError)) throw error;
      refused ??= error;
    }
  }
  if (refused) throw refused;
}

async function apply(store: Store, write: Write, tally: Tally, config: Pick<Config, "projects">): Promise<void> {
  switch (write.kind) {
    case "upsert": {
      // The rows the database refuses are found and named; the others are stored and counted.
      const refused: { row: Record<string, unknown>; refusal: DatabaseCause }[] = [];
      const written = await writeIsolating(write.rows, (rows) => upsertRecords(store, write.table, rows as never[]), (row, refusal) => refused.push({ row, refusal }));
      tally.counted(write.count, write.rows.length - refused.length, written);
      const [first] = refused;
      if (first) {
        const more = refused.length > 1 ? ` and ${refused.length - 1} more` : "";
        throw new RecordRefusedError(`${getTableName(write.table)} ${String(first.row.externalId)}${more}`, first.refusal);
      }
      return;
    }
    case "replace":
      return replaceRows(store, write);
    case "delete": {
      const deleted = await store.db.delete(write.table).where(conditions(write.table, write.where)).returning();
      return tally.counted(write.count, deleted.length, { inserted: 0, updated: deleted.length, unchanged: 0 });
    }
    case "mark": {
      const columns = getTableColumns(write.table);
      const flag = columns[write.flag]!;
      const member = write.keys.length ? inArray(columns[write.key]!, storable(write.keys)) : sql`false`;
      await store.db
        .update(write.table)
        .set({ [write.flag]: member })
        .where(and(conditions(write.table, write.where), sql`${flag} IS DISTINCT FROM (${member})`));
      return;
    }
    case "ingest": {
      const count = (result: IngestResult) => {
        tally.add(write.count.key, result.accepted);
        tally.add(`${write.count.key}:rejected`, result.rejected);
      };
      try {
        count(await ingestEntries(store, write.origin, write.entries, { config }));
      } catch (error) {
        if (error instanceof IngestRefusedError) count(error.result);
        throw error;
      }
      return;
    }
  }
}

/** The rows matching `where` become exactly `rows`: the others are deleted, these inserted or updated by `key`. */
async function replaceRows(store: Store, write: Extract<Write, { kind: "replace" }>): Promise<void> {
  const columns = getTableColumns(write.table);
  const keyColumns = write.key.map((property) => columns[property]!);
  // As stored (db/storable.ts), so the rows kept are recognised by their stored keys.
  const rows = storable(write.rows);
  const kept = sql.join(
    rows.map((row) => sql`(${sql.join(write.key.map((property) => sql`${row[property]}`), sql`, `)})`),
    sql`, `,
  );
  const others = rows.length ? not(sql`(${sql.join(keyColumns, sql`, `)}) IN (${kept})`) : undefined;
  const update = Object.fromEntries(
    Object.entries(columns)
      .filter(([property]) => !write.key.includes(property))
      .map(([property, column]) => [property, sql.raw(`excluded.${column.name}`)]),
  );
  await store.db.transaction(async (tx) => {
    await tx.delete(write.table).where(and(conditions(write.table, write.where), others));
    if (rows.length) await tx.insert(write.table).values(rows).onConflictDoUpdate({ target: keyColumns, set: update });
  });
}

/** `where` as SQL over the table's columns: equal, `{ in }` or `{ atLeast }`; values as stored (db/storable.ts). */
function conditions(table: PgTable, where: Record<string, unknown>): SQL | undefined {
  const columns = getTableColumns(table);
  return and(
    ...Object.entries(storable(where)).map(([property, condition]) => {
      const column: Column | undefined = columns[property];
      if (!column) throw new Error(`${getTableName(table)} has no column ${property}`);
      if (condition !== null && typeof condition === "object" && "in" in condition) return inArray(column, condition.in as unknown[]);
      if (condition !== null && typeof condition === "object" && "atLeast" in condition) return gte(column, condition.atLeast);
      return eq(column, condition);
    }),
  );
}
