/**
 * `shipshape sync --source jira` killed mid-sync (SIGKILL, as a crash or an OOM kill would),
 * then run again, leaves the same database as one uninterrupted run: pages already stored are
 * not lost, the cursor never runs ahead of stored data, and re-reading is harmless.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store, type StoreOptions } from "@/db/client";
import { streamStates, workItems, workItemTransitions } from "@/db/schema";
import { COMMANDS_TIMEOUT, dataDirReleased, runInProcess } from "@/test/support/cli";
import { drivers, postgresDatabase, type Driver } from "@/test/support/db";
import { FakeJira } from "@/test/support/jira-server";
import { jiraConfigYaml, seed } from "./fixtures";

const root = join(import.meta.dirname, "../..");

let dir: string;
const dropDatabases: (() => Promise<void>)[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "shipshape-jira-kill-"));
});
afterAll(async () => {
  for (const drop of dropDatabases) await drop();
  rmSync(dir, { recursive: true, force: true });
});

/** An empty database the CLI migrates itself. */
async function newDatabase(driver: Driver, name: string): Promise<StoreOptions> {
  if (driver === "pglite") return { dataDir: join(dir, name) };
  const database = await postgresDatabase(`jira_${name}`, { migrated: false });
  dropDatabases.push(database.drop);
  return { databaseUrl: database.url };
}

const SYNC = ["sync", "--source", "jira"];

function cliEnv(database: StoreOptions, configPath: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SHIPSHAPE_CONFIG: configPath };
  delete env.DATABASE_URL;
  if ("databaseUrl" in database) env.DATABASE_URL = database.databaseUrl;
  if ("dataDir" in database) env.SHIPSHAPE_DATA_DIR = database.dataDir;
  return env;
}

function cli(database: StoreOptions, configPath: string): ChildProcess {
  return spawn(process.execPath, ["bin/shipshape.js", ...SYNC], { cwd: root, env: cliEnv(database, configPath), stdio: ["ignore", "pipe", "pipe"] });
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
        // The uninterrupted sync, in this process (the same command, without a process start).
        const reference = await newDatabase(driver, "reference");
        const whole = await runInProcess(SYNC, cliEnv(reference, configPath), "");
        expect(whole.code, whole.stderr).toBe(0);

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

        if ("dataDir" in interrupted) await dataDirReleased(interrupted.dataDir);
        const partial = await contents(interrupted);
        expect(partial.items.map((item) => item.key)).toEqual(["FRD-1", "FRD-2", "FRD-3", "FRD-5"]);
        expect(partial.cursors).toEqual([{ stream: "FRD:issues", cursor: { updated: "2026-11-20T13:05:00.000Z" } }]);

        const rerun = await exited(cli(interrupted, configPath));
        expect(rerun.code, rerun.output).toBe(0);
        expect(await contents(interrupted)).toEqual(await contents(reference));
      } finally {
        await jira.close();
      }
    }, COMMANDS_TIMEOUT);
  });
}
