/**
 * Opens the database: embedded PGlite in a data directory (the default) or a PostgreSQL
 * server through postgres.js. Both run the same schema, migrations and queries; callers get
 * one `Store` and never ask which driver is behind it.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { lockDataDir } from "./data-dir-lock";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Store {
  kind: "pglite" | "postgres";
  db: Db;
  /** Runs raw SQL and returns its rows (the two drivers shape results differently). */
  rows<T extends Record<string, unknown>>(query: SQL): Promise<T[]>;
  /** Where the data lives, for messages: a directory or a URL without its password. */
  location: string;
  /**
   * Runs `action` while holding a database-wide lock, so that servers sharing one PostgreSQL
   * do it one at a time. On the embedded database one process owns the data, so it just runs.
   */
  exclusively<T>(lockId: number, action: () => Promise<T>): Promise<T>;
  /**
   * Like `exclusively`, but does not wait: when another holder has the lock (another server, or
   * another task of this process) the action does not run and `{ acquired: false }` comes back.
   */
  tryExclusively<T>(lockId: number, action: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
  close(): Promise<void>;
}

export type StoreOptions =
  | { databaseUrl: string }
  /** `notice`: where to say that an existing directory was made private (default: stderr). */
  | { dataDir: string; notice?: (line: string) => void }
  /** In memory, optionally from a dumped data directory: for tests and benchmarks. */
  | { memory: true; loadDataDir?: Blob };


export async function openStore(options: StoreOptions): Promise<Store> {
  if ("databaseUrl" in options) return openPostgres(options.databaseUrl);
  if ("dataDir" in options) return openPgliteDir(options.dataDir, options.notice);
  return pgliteStore(await PGlite.create({ loadDataDir: options.loadDataDir }), "memory");
}

async function openPostgres(url: string): Promise<Store> {
  // JIT compiles a report's queries for seconds to save milliseconds (their cost estimates are
  // large, their real work small), so it is off for our sessions.
  const client = postgres(url, { max: 10, onnotice: () => {}, connection: { TimeZone: "UTC", jit: "off" } });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  return {
    kind: "postgres",
    db,
    location: url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@"),
    rows: async <T extends Record<string, unknown>>(query: SQL) => [...((await db.execute(query)) as unknown as T[])],
    exclusively: async (lockId, action) => {
      // Session-level lock on one reserved connection: held across the action's own queries.
      const connection = await client.reserve();
      try {
        await connection`SELECT pg_advisory_lock(${lockId})`;
        try {
          return await action();
        } finally {
          await connection`SELECT pg_advisory_unlock(${lockId})`;
        }
      } finally {
        connection.release();
      }
    },
    tryExclusively: async (lockId, action) => {
      const connection = await client.reserve();
      try {
        const [row] = await connection<{ locked: boolean }[]>`SELECT pg_try_advisory_lock(${lockId}) AS locked`;
        if (!row?.locked) return { acquired: false };
        try {
          return { acquired: true, value: await action() };
        } finally {
          await connection`SELECT pg_advisory_unlock(${lockId})`;
        }
      } finally {
        connection.release();
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * Two processes on one PGlite directory silently lose writes, so the directory is locked for
 * as long as it is open (data-dir-lock.ts): a killed holder's lock is taken over at once.
 *
 * The directory holds password hashes, sessions and the unsubscribe key, so only its owner may
 * read it: 0700, its files 0600. PGlite writes its first files with mode 0666 whatever the
 * umask and later ones by the umask, so the directory is tightened after PGlite has opened it
 * and the process's umask is 077 while it is open. A directory found open to others (made by
 * an older version) is tightened the same way, and the notice says so once.
 */
async function openPgliteDir(dataDir: string, notice = (line: string) => console.warn(`shipshape: ${line}`)): Promise<Store> {
  const dir = resolve(dataDir);
  const restoreUmask = privateUmask();
  let release = async () => restoreUmask();
  try {
    const loosened = existsSync(dir) ? makePrivate(dir) : { dirs: 0, files: 0 };
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
    const unlock = await lockDataDir(dir, dataDir);
    release = async () => (await unlock(), restoreUmask());
    const client = await PGlite.create(dir);
    makePrivate(dir);
    if (loosened.dirs + loosened.files > 0) {
      notice(
        `the embedded database in ${dir} was open to other users: made it private ` +
          `(${loosened.dirs} director${loosened.dirs === 1 ? "y" : "ies"} now 0700, ${loosened.files} file${loosened.files === 1 ? "" : "s"} now 0600)`,
      );
    }
    return pgliteStore(client, dir, release);
  } catch (error) {
    await release();
    throw error;
  }
}

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;
const OTHERS = 0o077;

/** Takes group and other permissions away from `dir` and everything in it; counts what it changed. */
function makePrivate(dir: string): { dirs: number; files: number } {
  const changed = { dirs: 0, files: 0 };
  const visit = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & OTHERS) !== 0) {
      chmodSync(path, stat.isDirectory() ? PRIVATE_DIR : PRIVATE_FILE);
      changed[stat.isDirectory() ? "dirs" : "files"] += 1;
    }
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
  };
  visit(dir);
  return changed;
}

/**
 * Umask 077 while any data directory is open, so PGlite's new files are 0600 (it cannot be
 * told a mode); the previous umask comes back when the last one closes. (Worker threads cannot
 * set a umask: there the tightening at open is what there is.)
 */
let privateDirsOpen = 0;
let savedUmask: number | undefined;
function privateUmask(): () => void {
  try {
    if (privateDirsOpen === 0) {
      savedUmask = process.umask(OTHERS);
      process.umask(savedUmask | OTHERS);
    }
  } catch {
    return () => {};
  }
  privateDirsOpen += 1;
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    privateDirsOpen -= 1;
    if (privateDirsOpen === 0 && savedUmask !== undefined) process.umask(savedUmask);
  };
}

/** A store over an open PGlite client; `release` runs after it closes. */
export function pgliteStore(client: PGlite, location: string, release = async () => {}): Store {
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  // One process owns the data, so the locks its own tasks hold are all there is to exclude.
  const held = new Set<number>();
  return {
    kind: "pglite",
    db,
    location,
    rows: async <T extends Record<string, unknown>>(query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows,
    exclusively: (_lockId, action) => action(),
    tryExclusively: async (lockId, action) => {
      if (held.has(lockId)) return { acquired: false };
      held.add(lockId);
      try {
        return { acquired: true, value: await action() };
      } finally {
        held.delete(lockId);
      }
    },
    close: async () => {
      await client.close();
      await release();
    },
  };
}
