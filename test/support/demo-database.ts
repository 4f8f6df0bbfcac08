/**
 * The demo organisation, generated once per run and driver, for the servers that start on it.
 * Generating it takes a server ~10 s of a loaded machine's CPU (half its start), and a run starts
 * a demo server about twenty times: each now starts on a copy instead — a data directory copied
 * for PGlite, a database created from a template on PostgreSQL. The server's own check
 * (`ensureDemoData`) then finds the demo current and keeps it, as it does at a restart.
 *
 * The first suite of the run to ask generates it, under a lock in the run's directory (suites run
 * in parallel, in separate workers); the rest wait for it and copy.
 */
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";
import lockfile from "proper-lockfile";
import { openStore } from "@/db/client";
import { migrate } from "@/db/migrate";
import { demoLastDay, writeDemoData } from "@/lib/demo/generate";
import { asAdmin, withDatabase } from "./postgres-admin";

const runDir = () => inject("runDir");

/** Copies the run's demo data directory (generating it first if no suite has yet) to `target`. */
export async function copyDemoDataDir(target: string): Promise<void> {
  const template = join(runDir(), "demo-pglite");
  await onceInRun(template, async () => {
    const partial = `${template}.partial`;
    rmSync(partial, { recursive: true, force: true });
    const store = await openStore({ dataDir: partial });
    try {
      await migrate(store);
      await writeDemoData(store, demoLastDay());
    } finally {
      await store.close();
    }
    renameSync(partial, template);
  });
  cpSync(template, target, { recursive: true });
}

/** The run's PostgreSQL database that holds the demo, to create servers' databases from (generated first if no suite has yet). */
export async function demoPostgresTemplate(): Promise<string> {
  const server = inject("postgres");
  const database = `${server.prefix}demo`;
  const done = join(runDir(), "demo-postgres.done");
  await onceInRun(done, async () => {
    await asAdmin(server.url, async (admin) => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.unsafe(`CREATE DATABASE ${database} TEMPLATE ${server.template}`);
    });
    // A template admits no connection while a copy is made: this one is closed before the first.
    const store = await openStore({ databaseUrl: withDatabase(server.url, database) });
    try {
      await writeDemoData(store, demoLastDay());
    } finally {
      await store.close();
    }
    writeFileSync(done, "");
  });
  return database;
}

/** Runs `make` unless `made` exists, one worker at a time; `make` creates `made` last. */
async function onceInRun(made: string, make: () => Promise<void>): Promise<void> {
  if (existsSync(made)) return;
  const locks = join(runDir(), "locks");
  mkdirSync(locks, { recursive: true });
  // Stale only after ten minutes: the holder's PGlite can hold its event loop (and so the lock's
  // refresh) for many seconds, and a lock taken over meanwhile would let a second worker make it
  // too. The run's directory is the run's own, so a killed run's lock never meets another run.
  const release = await lockfile.lock(locks, {
    lockfilePath: `${made}.lock`,
    stale: 600_000,
    retries: { retries: 1200, minTimeout: 500, maxTimeout: 500 },
  });
  try {
    if (!existsSync(made)) await make();
  } finally {
    await release();
  }
}
