/**
 * Killing `shipshape sync --source github` mid-sync (SIGKILL, in a child process, on a real
 * data directory or PostgreSQL database), then running it again, leaves the same database as
 * one uninterrupted sync.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type StoreOptions } from "@/db/client";
import { migrate } from "@/db/migrate";
import { COMMANDS_TIMEOUT, dataDirReleased } from "@/test/support/cli";
import { drivers, postgresDatabase, type Driver } from "@/test/support/db";
import { FakeGitHub } from "./fake-github";
import { buildBusyRepo } from "./scenarios";
import { configYaml, REST, storedTables, syncGitHub } from "./support";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const REPO = "acme/shop";

/** A database a child process can open by environment, and this process by store options. */
interface Target {
  env: Record<string, string>;
  options: StoreOptions;
  /** Waits until the database can be opened again after its process was killed. */
  released: () => Promise<void>;
}

async function newTarget(driver: Driver, dir: string): Promise<Target> {
  if (driver === "pglite") {
    const dataDir = join(dir, randomUUID());
    return {
      env: { SHIPSHAPE_DATA_DIR: dataDir },
      options: { dataDir },
      released: () => dataDirReleased(dataDir),
    };
  }
  const { url: databaseUrl } = await postgresDatabase("kill", { migrated: true });
  return { env: { DATABASE_URL: databaseUrl }, options: { databaseUrl }, released: async () => {} };
}

describe.each(drivers)("GitHub sync killed mid-way [%s]", (driver) => {
  let fake: FakeGitHub;
  let dir: string;
  let restConfig: string;
  let graphqlConfig: string;
  beforeAll(async () => {
    fake = await new FakeGitHub().start();
    // 60 merged pull requests → 133 requests for a whole sync.
    buildBusyRepo(fake, REPO, { pulls: 60, deployEvery: 10, releaseEvery: 20, issues: 30 });
    dir = mkdtempSync(join(tmpdir(), "shipshape-kill-"));
    restConfig = join(dir, "rest.yaml");
    graphqlConfig = join(dir, "graphql.yaml");
    writeFileSync(restConfig, configYaml(fake, [REPO], REST));
    writeFileSync(graphqlConfig, configYaml(fake, [REPO]));
  });
  afterAll(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The uninterrupted sync to compare with, in this process: the same sync the command runs,
   * without a process start and with GraphQL's one-second spacing of queries shortened.
   */
  async function wholeSync(extra: string, target: Target) {
    const store = await openStore(target.options);
    try {
      await migrate(store);
      return await syncGitHub(store, fake, [REPO], extra);
    } finally {
      await store.close();
    }
  }

  /** Runs the CLI; with `killAt`, SIGKILLs it once the fake has answered that many requests. */
  function sync(configPath: string, target: Target, killAt?: number): Promise<{ code: number | null; signal: string | null; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, ...target.env, SHIPSHAPE_CONFIG: configPath };
    if (!("DATABASE_URL" in target.env)) delete env.DATABASE_URL;
    const child: ChildProcess = spawn(process.execPath, ["bin/shipshape.js", "sync", "--source", "github"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const served = fake.log.length;
    fake.onRequest = (count) => {
      if (killAt !== undefined && count - served >= killAt) child.kill("SIGKILL");
    };
    return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr })));
  }

  it("REST: gives the same database as an uninterrupted sync", { timeout: COMMANDS_TIMEOUT }, async () => {
    fake.log.length = 0;
    const whole = await newTarget(driver, dir);
    expect(await wholeSync(REST, whole)).toMatchObject({ status: "succeeded" });
    const requestsOfWholeSync = fake.log.length;

    const killed = await newTarget(driver, dir);
    // Killed first in the middle of the pull requests' commit lists, then among the deployments' statuses.
    expect(await sync(restConfig, killed, 30)).toMatchObject({ signal: "SIGKILL" });
    await killed.released();
    expect(await sync(restConfig, killed, requestsOfWholeSync - 8)).toMatchObject({ signal: "SIGKILL" });
    await killed.released();
    const last = await sync(restConfig, killed);
    expect(last).toMatchObject({ code: 0, stderr: "" });
    await expectSameDatabases(whole, killed);
  });

  it("GraphQL: gives the same database as an uninterrupted sync", { timeout: COMMANDS_TIMEOUT }, async () => {
    fake.log.length = 0;
    const whole = await newTarget(driver, dir);
    expect(await wholeSync("", whole)).toMatchObject({ status: "succeeded" });
    const queries = fake.log.map((entry) => entry.request);
    expect(queries.every((query) => query.startsWith("POST /graphql"))).toBe(true);

    const killed = await newTarget(driver, dir);
    // Killed after the first page of pull requests, then after the last deployments' query.
    const afterFirstPulls = queries.findIndex((query) => query.includes("PullRequests")) + 1;
    const afterDeployments = queries.findLastIndex((query) => query.includes("Deployments")) + 1;
    expect(await sync(graphqlConfig, killed, afterFirstPulls)).toMatchObject({ signal: "SIGKILL" });
    await killed.released();
    expect(await sync(graphqlConfig, killed, afterDeployments)).toMatchObject({ signal: "SIGKILL" });
    await killed.released();
    const last = await sync(graphqlConfig, killed);
    expect(last).toMatchObject({ code: 0, stderr: "" });
    await expectSameDatabases(whole, killed);
  });

  async function expectSameDatabases(whole: Target, killed: Target) {

    const [a, b] = [await openStore(whole.options), await openStore(killed.options)];
    try {
      const [expected, actual] = [await storedTables(a), await storedTables(b)];
      expect(expected.pull_requests).toHaveLength(60);
      expect(actual).toEqual(expected);
    } finally {
      await a.close();
      await b.close();
    }
  }
});
