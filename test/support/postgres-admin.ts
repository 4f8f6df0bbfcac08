/** Creating and dropping the test databases on a PostgreSQL server (no vitest here: the reaper uses it too). */
import postgres from "postgres";

/** The run's PostgreSQL server, as global setup provides it to the suites. */
export interface TestPostgresServer {
  url: string;
  /** The migrated database every suite's database is copied from. */
  template: string;
  /** How every database of this run is named, so none is another run's. */
  prefix: string;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs `action` on one administrative connection to the server's `postgres` database. */
export async function asAdmin<T>(url: string, action: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await action(admin);
  } finally {
    await admin.end();
  }
}

/** Drops every database whose name starts with `prefix` (a run's, after it). */
export async function dropDatabasesNamed(url: string, prefix: string): Promise<void> {
  await asAdmin(url, async (admin) => {
    const rows = await admin<{ datname: string }[]>`SELECT datname FROM pg_database WHERE starts_with(datname, ${prefix})`;
    for (const { datname } of rows) await admin.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
