import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { Store } from "./client";
import { MIGRATION_LOCK } from "./locks";

// Beside this file. (Not `new URL("./migrations", import.meta.url)`: Next's bundler would try
// to bundle the folder as an asset.)
export const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Brings the schema up to date. Safe at every start, also from several servers at once.
 * `folder` is for tests that stop at an older migration.
 */
export async function migrate(store: Store, folder = migrationsFolder): Promise<void> {
  await store.exclusively(MIGRATION_LOCK, () =>
    store.kind === "pglite"
      ? migratePglite(store.db as unknown as PgliteDatabase, { migrationsFolder: folder })
      : migratePostgres(store.db as unknown as PostgresJsDatabase, { migrationsFolder: folder }),
  );
}
