/**
 * Starts the real server (`shipshape serve`, as `npm start` does) in a child process on a free
 * port, in demo mode on a fresh embedded database, and stops it afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import lockfile from "proper-lockfile";
import { buildIfStale } from "@/lib/server/build";

const root = resolve(import.meta.dirname, "../..");

export interface RunningServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

export interface ServerOptions {
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

/** Runs `shipshape ARGS` where the server will run, before it starts; throws with its output if it fails. */
export function shipshapeIn(context: PrepareContext, args: string[], env: Record<string, string> = {}): void {
  const result = spawnSync(process.execPath, [join(root, "bin/shipshape.js"), ...args], {
    cwd: context.cwd,
    env: { ...context.env, ...env },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`shipshape ${args.join(" ")} exited with ${result.status}:\n${result.stdout}${result.stderr}`);
}

export async function startServer(env: Record<string, string> = {}, options: ServerOptions = {}): Promise<RunningServer> {
  await buildOnce();
  const dir = mkdtempSync(join(tmpdir(), "shipshape-server-"));
  const port = await freePort();
  const serverEnv = { ...process.env, SHIPSHAPE_DATA_DIR: join(dir, "data"), DATABASE_URL: "", ...env };
  try {
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
 * Builds the app if its sources changed, one test file at a time: browser suites run in
 * parallel, and two `next build`s into one .next directory break each other. The server's own
 * check then finds the build fresh.
 */
async function buildOnce(): Promise<void> {
  const lockPath = join(tmpdir(), `shipshape-build-${createHash("sha256").update(root).digest("hex").slice(0, 12)}.lock`);
  // The build blocks this process's event loop, so the lock cannot be refreshed meanwhile: let it go stale only after 10 minutes.
  const release = await lockfile.lock(root, {
    lockfilePath: lockPath,
    stale: 600_000,
    retries: { retries: 400, minTimeout: 1000, maxTimeout: 1000 },
    onCompromised: () => {},
  });
  try {
    buildIfStale(root, (line) => console.log(`shipshape (test build): ${line}`));
  } finally {
    await release();
  }
}

async function waitUntilServing(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    const healthy = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (healthy) return;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`server did not answer within 180 s:\n${output()}`);
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
    probe.once("error", fail);
  });
}
