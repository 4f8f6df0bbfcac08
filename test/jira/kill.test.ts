/**
 * `shipshape sync --source jira` killed mid-sync (SIGKILL, as a crash or an OOM kill would),
 * then run again, leaves the same database as one uninterrupted run: pages already stored are
 * not lost, the cursor never runs ahead of stored data, and re-reading is harmless.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { asc } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store, type StoreOptions } from "@/db/client";
import { streamStates, workItems, workItemTransitions } from "@/db/schema";
import { drivers, type Driver } from "@/test/support/db";
import { withDatabase } from "@/test/support/global-setup";
import { FakeJira } from "@/test/support/jira-server";
import { jiraConfigYaml, seed } from "./fixtures";

const root = join(import.meta.dirname, "../..");
/** proper-lockfile's `stale` for the embedded database's directory lock (db/client.ts), plus a margin. */
const PGLITE_LOCK_STALE_MS = 10_500;

let dir: string;
const admin = process.env.TEST_DATABASE_URL ? postgres(process.env.TEST_DATABASE_URL, { max: 1, onnotice: () => {} }) : undefined;
const databases: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "shipshape-jira-kill-"));
});
afterAll(async () => {
  for (const database of databases) await admin!.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin?.end();
  rmSync(dir, { recursive: true, force: true });
});

/** An empty database the CLI migrates itself. */
async function newDatabase(driver: Driver, name: string): Promise<StoreOptions> {
  if (driver === "pglite") return { dataDir: join(dir, name) };
  const database = `shipshape_jira_${name}_${process.pid}`;
  await admin!.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin!.unsafe(`CREATE DATABASE ${database}`);
  databases.push(database);
  return { databaseUrl: withDatabase(process.env.TEST_DATABASE_URL!, database) };
}

function cli(database: StoreOptions, configPath: string): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, SHIPSHAPE_CONFIG: configPath };
  delete env.DATABASE_URL;
  if ("databaseUrl" in database) env.DATABASE_URL = database.databaseUrl;
  if ("dataDir" in database) env.SHIPSHAPE_DATA_DIR = database.dataDir;
  return spawn(process.execPath, ["bin/shipshape.js", "sync", "--source", "jira"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null; output: string }> {
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, output })));
}

/** Everything the sync stores, without the database's own ids and write times. */
async function contents(database: StoreOptions) {
  const store: Store = await openStore(database);
  try {
    const items = await store.db.select().from(workItems).orderBy(asc(workItems.externalId));
    const transitions = await store.db.select().from(workItemTransitions).orderBy(asc(workItemTransitions.externalId));
    const cursors = await store.db.select({ stream: streamStates.stream, cursor: streamStates.cursor }).from(streamStates).orderBy(asc(streamStates.stream));
    const strip = <T extends { id: number; storedAt: string }>({ id: _id, storedAt: _storedAt, ...rest }: T) => rest;
    return { items: items.map(strip), transitions: transitions.map(strip), cursors };
  } finally {
    await store.close();
  }
}

for (const driver of drivers) {
  describe(`Jira sync killed mid-run [${driver}]`, () => {
    it("re-run after a SIGKILL gives the same database as an uninterrupted sync", async () => {
      const jira = await new FakeJira().start();
      seed(jira);
      const configPath = join(dir, `shipshape-${driver}.yaml`);
      writeFileSync(configPath, jiraConfigYaml(jira.url));
      try {
        const reference = await newDatabase(driver, "reference");
        const whole = await exited(cli(reference, configPath));
        expect(whole.code, whole.output).toBe(0);

        // Killed when it asks for FRD's third page: pages 1 and 2 (with FRD-1's paged changelog) are stored.
        const interrupted = await newDatabase(driver, "interrupted");
        const child = cli(interrupted, configPath);
        let searches = 0;
        jira.onRequest = (request) => {
          if (request.path === "/rest/api/3/search/jql" && ++searches === 3) child.kill("SIGKILL");
        };
        const killed = await exited(child);
        jira.onRequest = () => {};
        expect(killed.signal).toBe("SIGKILL");

        if (driver === "pglite") await sleep(PGLITE_LOCK_STALE_MS);
        const partial = await contents(interrupted);
        expect(partial.items.map((item) => item.key)).toEqual(["FRD-1", "FRD-2", "FRD-3", "FRD-5"]);
        expect(partial.cursors).toEqual([{ stream: "FRD:issues", cursor: { updated: "2026-11-20T13:05:00.000Z" } }]);

        const rerun = await exited(cli(interrupted, configPath));
        expect(rerun.code, rerun.output).toBe(0);
        expect(await contents(interrupted)).toEqual(await contents(reference));
      } finally {
        await jira.close();
      }
    }, 120_000);
  });
}
