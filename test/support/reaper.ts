/**
 * Cleans up after a test run whose vitest process died before its teardown: Ctrl-C, SIGTERM
 * or a kill -9 end vitest at once, and its workers, servers, browsers and the PostgreSQL
 * server would live on. Global setup starts this process detached; it waits for vitest to go,
 * and unless the teardown already removed the run's directory, it ends every process that
 * carries the run's marker (RUN_MARKER in its environment), stops the PostgreSQL server,
 * drops the run's databases on a server given by TEST_DATABASE_URL and removes the directory.
 *
 * Usage: node --import tsx test/support/reaper.ts '<json of ReaperOrders>'
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { dropDatabasesNamed } from "./postgres-admin";
import { kill, processesOfRun } from "./test-run";

export interface ReaperOrders {
  /** vitest's process. */
  parent: number;
  runId: string;
  runDir: string;
  /** The embedded server's data directory, when the run started one. */
  postgresDataDir?: string;
  /** A server the run was given (TEST_DATABASE_URL): its databases of this run are dropped. */
  externalUrl?: string;
  /** The prefix of every database this run creates. */
  databasePrefix: string;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function stopPostgres(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const postmaster = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!alive(postmaster)) return;
  process.kill(postmaster, "SIGINT"); // fast shutdown: ends its sessions, then itself
  for (let waited = 0; waited < 20_000 && alive(postmaster); waited += 100) await sleep(100);
  if (alive(postmaster)) process.kill(postmaster, "SIGKILL");
}

async function reap(orders: ReaperOrders): Promise<void> {
  while (alive(orders.parent) && existsSync(orders.runDir)) await sleep(250);
  if (!existsSync(orders.runDir)) return; // the teardown did it all
  // The server first, gently (SIGINT): the other processes are its clients and tests.
  if (orders.postgresDataDir) await stopPostgres(orders.postgresDataDir);
  for (let round = 0; round < 10; round++) {
    const processes = processesOfRun(orders.runId);
    if (processes.length === 0) break;
    for (const { pid } of processes) kill(pid);
    await sleep(200);
  }
  if (orders.externalUrl) await dropDatabasesNamed(orders.externalUrl, orders.databasePrefix).catch(() => {});
  rmSync(orders.runDir, { recursive: true, force: true });
}

await reap(JSON.parse(process.argv[2]!) as ReaperOrders);
