/**
 * Runs a database suite on every driver: PGlite and a real PostgreSQL server (the run's, from
 * global setup). Each suite gets its own database, copied from the migrated template, and
 * every table is emptied before each test.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, inject } from "vitest";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "@/db/client";
import { asAdmin, withDatabase } from "./postgres-admin";

export type Driver = "pglite" | "postgres";

export const drivers: Driver[] = ["pglite", "postgres"];

/**
 * A new database of this run on the test PostgreSQL server: migrated (a copy of the template),
 * a copy of another database of the run (`copyOf`, e.g. the demo's), or empty (for a command
 * that migrates it itself). `kind` says in its name what it is for.
 */
export async function postgresDatabase(
  kind: string,
  { migrated, copyOf }: { migrated: boolean; copyOf?: string },
): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = inject("postgres");
  const database = `${server.prefix}${kind}_${randomBytes(6).toString("hex")}`;
  const template = copyOf ?? (migrated ? server.template : undefined);
  await asAdmin(server.url, (admin) => admin.unsafe(`CREATE DATABASE ${database}${template ? ` TEMPLATE ${template}` : ""}`));
  return {
    url: withDatabase(server.url, database),
    drop: () => asAdmin(server.url, (admin) => admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)).then(() => {}),
  };
}

/** A fresh migrated database on `driver` (an empty one with `migrated: false`); call `drop` when done. */
export async function freshStore(driver: Driver, { migrated = true } = {}): Promise<{ store: Store; drop: () => Promise<void> }> {
  if (driver === "pglite") {
    const template = migrated ? new Blob([readFileSync(inject("pgliteTemplate"))]) : undefined;
    const store = await openStore({ memory: true, loadDataDir: template });
    return { store, drop: () => store.close() };
  }
  const database = await postgresDatabase("test", { migrated });
  const store = await openStore({ databaseUrl: database.url });
  return {
    store,
    drop: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/** Empties every table of the schema (keeps drizzle's migration bookkeeping). */
export async function truncateAll(store: Store): Promise<void> {
  const tables = await store.rows<{ name: string }>(
    sql`SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public'`,
  );
  if (tables.length === 0) return;
  await store.db.execute(sql.raw(`TRUNCATE ${tables.map((t) => t.name).join(", ")} RESTART IDENTITY`));
}

/**
 * describe() once per driver. `body` receives a getter for the suite's store, which is empty
 * at the start of every test, and the driver: a test that only applies to PostgreSQL (several
 * connections or processes on one database) is registered only when `driver` is "postgres".
 */
export function describeEachDriver(name: string, body: (store: () => Store, driver: Driver) => void): void {
  for (const driver of drivers) describeOn(driver, name, body);
}

/** describeEachDriver for suites that only apply to PostgreSQL (several servers on one database). */
export function describeOnPostgres(name: string, body: (store: () => Store) => void): void {
  describeOn("postgres", name, body);
}

function describeOn(driver: Driver, name: string, body: (store: () => Store, driver: Driver) => void): void {
  describe(`${name} [${driver}]`, () => {
    let current: { store: Store; drop: () => Promise<void> } | undefined;
    beforeAll(async () => {
      current = await freshStore(driver);
    });
    afterAll(async () => current?.drop());
    beforeEach(async () => truncateAll(current!.store));
    body(() => current!.store, driver);
  });
}
