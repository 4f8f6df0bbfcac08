/**
 * One timed run of the ingest benchmark, in its own process so its peak memory is its own:
 *   ingest-run.ts ingest <database url> <file.jsonl>   the real path: lib/ingest → upsertRecords
 *   ingest-run.ts copy <database url> <file.csv>       COPY of the same rows into the same table
 * Prints {rows, seconds, peakRssMb} as JSON. The database is migrated before the clock starts.
 */
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { openStore } from "@/db/client";
import { migrate } from "@/db/migrate";
import { ingestFile } from "@/lib/ingest/ingest";
import { COPY_COLUMNS } from "./copy-columns";

const [mode, databaseUrl, file] = process.argv.slice(2) as [string, string, string];

const store = await openStore({ databaseUrl });
await migrate(store);
let rows: number;
const started = performance.now();
if (mode === "ingest") {
  const result = await ingestFile(store, file);
  rows = result.accepted;
} else {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const copy = await sql.unsafe(`COPY deployments (${COPY_COLUMNS.join(", ")}) FROM STDIN WITH (FORMAT csv)`).writable();
  await pipeline(createReadStream(file, { highWaterMark: 256 * 1024 }), copy);
  [{ rows }] = (await sql`SELECT count(*)::int AS rows FROM deployments`) as unknown as [{ rows: number }];
  await sql.end();
}
const seconds = (performance.now() - started) / 1000;
await store.close();
console.log(JSON.stringify({ rows, seconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
