/**
 * Runs a database suite on every driver: PGlite always, PostgreSQL too when TEST_DATABASE_URL
 * is set (CI sets it). Each suite gets its own database, copied from the migrated template,
 * and every table is emptied before each test.
 */
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe, inject } from "vitest";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "@/db/client";
import { TEMPLATE_DATABASE, withDatabase } from "./global-setup";

export type Driver = "pglite" | "postgres";

export const drivers: Driver[] = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

/** A fresh migrated database on `driver`; call `drop` when done. */
export async function freshStore(driver: Driver): Promise<{ store: Store; drop: () => Promise<void> }> {
  if (driver === "pglite") {
    const template = new Blob([readFileSync(inject("pgliteTemplate"))]);
    const store = await openStore({ memory: true, loadDataDir: template });
    return { store, drop: () => store.close() };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const database = `shipshape_test_${randomUUID().replaceAll("-", "")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${database} TEMPLATE ${TEMPLATE_DATABASE}`);
  const store = await openStore({ databaseUrl: withDatabase(url, database) });
  return {
    store,
    drop: async () => {
      await store.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
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
 * at the start of every test.
 */
export function describeEachDriver(name: string, body: (store: () => Store, driver: Driver) => void): void {
  for (const driver of drivers) {
    describe(`${name} [${driver}]`, () => {
      let current: { store: Store; drop: () => Promise<void> } | undefined;
      beforeAll(async () => {
        current = await freshStore(driver);
      }, 60_000);
      afterAll(async () => current?.drop());
      beforeEach(async () => truncateAll(current!.store));
      body(() => current!.store, driver);
    });
  }
}
