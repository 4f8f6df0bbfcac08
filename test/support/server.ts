/**
 * Starts the real server (`shipshape serve`, as `npm start` does) in a child process on a free
 * port, in demo mode on a fresh database — a copy of the run's demo organisation
 * (demo-database.ts) — and stops it afterwards.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import lockfile from "proper-lockfile";
import { runInProcess } from "./cli";
import { postgresDatabase, type Driver } from "./db";
import { copyDemoDataDir, demoPostgresTemplate } from "./demo-database";
import { freePort } from "./net";

const root = resolve(import.meta.dirname, "../..");

/**
 * The timeout of a hook that starts a server: the run's first start builds the app (`next
 * build`), and on a machine shared with other test runs the build and the start take many
 * minutes. It only bounds a hang.
 */
export const SERVER_START_TIMEOUT = 900_000;

export interface RunningServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

export interface ServerOptions {
  /**
   * Whether the database starts as a copy of the run's demo organisation (the default, as a
   * demo server has it after its first start) or empty (`false`: a server with a configuration
   * of its own, which migrates it at start). Only for the server's own database: one given by
   * DATABASE_URL is used as it is.
   */
  demo?: boolean;
  /**
   * Runs before the server starts, in its working directory with its environment (e.g.
   * `shipshape users add`, `shipshape ingest`; see `shipshapeIn`): the embedded database admits
   * one process, the server's, once it runs.
   */
  prepare?: (context: PrepareContext) => void | Promise<void>;
}

export interface PrepareContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Runs `shipshape ARGS` on the server's database before it starts; throws with its output if it
 * fails. In this process (`runCli`), which costs a fraction of a child's start: the command's
 * configuration is the one the server will read, the shipshape.yaml that `prepare` may have
 * written to its working directory. Relative file names in ARGS would name files in this
 * process's working directory: give absolute ones.
 */
export async function shipshapeIn(context: PrepareContext, args: string[], env: Record<string, string> = {}): Promise<void> {
  const config = join(context.cwd, "shipshape.yaml");
  const commandEnv = { ...context.env, ...(existsSync(config) ? { SHIPSHAPE_CONFIG: config } : {}), ...env };
  const result = await runInProcess(args, commandEnv, "");
  if (result.code !== 0) throw new Error(`shipshape ${args.join(" ")} exited with ${result.code}:\n${result.stdout}${result.stderr}`);
}

export async function startServer(env: Record<string, string> = {}, options: ServerOptions = {}): Promise<RunningServer> {
  await buildOnce();
  const dir = mkdtempSync(join(tmpdir(), "shipshape-server-"));
  const port = await freePort();
  const serverEnv = { ...process.env, SHIPSHAPE_DATA_DIR: join(dir, "data"), DATABASE_URL: "", ...env };
  try {
    if (options.demo !== false && !serverEnv.DATABASE_URL) await copyDemoDataDir(serverEnv.SHIPSHAPE_DATA_DIR);
    await options.prepare?.({ cwd: dir, env: serverEnv });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let output = "";
  const child: ChildProcess = spawn(process.execPath, [join(root, "bin/shipshape.js"), "serve", "--port", String(port)], {
    cwd: dir, // no shipshape.yaml here (unless `prepare` writes one): demo mode
    env: serverEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((done) => child.once("exit", done));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output: () => output, stop };
}

/**
 * The real server on one driver, as the page suites run on both: on the embedded database in
 * its own directory, or on a fresh PostgreSQL database of the run (`kind` names it; a copy of
 * the demo's unless `demo: false`), dropped when the server stops.
 */
export async function startServerOn(driver: Driver, kind: string, options: ServerOptions = {}): Promise<RunningServer> {
  const copyOf = driver === "postgres" && options.demo !== false ? await demoPostgresTemplate() : undefined;
  const database = driver === "postgres" ? await postgresDatabase(kind, { migrated: false, copyOf }) : undefined;
  try {
    const server = await startServer(database ? { DATABASE_URL: database.url } : {}, options);
    return { ...server, stop: async () => (await server.stop(), await database?.drop()) };
  } catch (error) {
    await database?.drop();
    throw error;
  }
}

/**
 * Builds the app if its sources changed (`next build`, once per run and only for a run that
 * starts a server), one process at a time: server suites run in parallel, and so may another
 * run in this checkout, and two builds into one .next directory break each other. The lock
 * lives in the checkout, as .next does (every run has a temp dir of its own). The build runs in
 * a child process so that this one keeps the lock fresh: a run killed mid-build leaves a lock
 * that goes stale in seconds. The server's own check then finds the build fresh.
 */
async function buildOnce(): Promise<void> {
  const lockDir = join(root, "node_modules", ".cache");
  mkdirSync(lockDir, { recursive: true });
  const release = await lockfile.lock(root, {
    lockfilePath: join(lockDir, "shipshape-next-build.lock"),
    stale: 20_000,
    retries: { retries: 600, minTimeout: 1000, maxTimeout: 1000 },
  });
  try {
    const build = spawn(process.execPath, ["--import", "tsx", join(root, "test/support/build-app.ts")], { cwd: root, stdio: "inherit" });
    const code = await new Promise<number | null>((done) => build.on("exit", done));
    if (code !== 0) throw new Error(`next build failed (exit ${code}; see its output above)`);
  } finally {
    await release();
  }
}

/**
 * Whether GET /api/health answers 200, on a connection of its own that is closed afterwards:
 * a `fetch` here would leave a kept-alive socket in the test's pool, which the server closes
 * after its keep-alive timeout (5 s) — and a test's first fetch about then got ECONNRESET.
 */
function answersHealth(url: string): Promise<boolean> {
  return new Promise((done) => {
    const request = get(`${url}/api/health`, { agent: false, headers: { connection: "close" } }, (response) => {
      response.resume();
      done(response.statusCode === 200);
    });
    request.once("error", () => done(false));
  });
}

async function waitUntilServing(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    // A signal ends it with exitCode null and signalCode set: either way it will never answer.
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited with ${child.exitCode ?? child.signalCode}:\n${output()}`);
    const healthy = await answersHealth(url);
    if (healthy) return;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`server did not answer within 600 s:\n${output()}`);
}
