/**
 * The `shipshape` command against its own configuration and database on one driver: a
 * temporary data directory (PGlite) or a fresh PostgreSQL database. `run` runs it in this
 * process (`runCli`, the same program with buffers for streams: what most CLI tests assert is
 * output and exit codes, and a process start costs seconds); `runProcess` runs the real command
 * in a child process, for what only a process shows (its working directory, signals, locks).
 */
import { spawnSync } from "node:child_process";
import { Readable, Writable } from "node:stream";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { dataDirLockFree } from "@/db/data-dir-lock";
import { runCli } from "@/cli/program";
import { openRuntime, type Runtime } from "@/lib/server/runtime";
import { postgresDatabase, type Driver } from "./db";

const shipshape = resolve(import.meta.dirname, "../../bin/shipshape.js");

/**
 * The timeout of a test that runs real `shipshape` processes one after another: each start
 * costs seconds (node, tsx, the embedded database's boot), many times that on a machine shared
 * with other test runs, and such a test is not about speed. It only bounds a hang.
 */
export const COMMANDS_TIMEOUT = 600_000;

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliSandbox {
  env: Record<string, string>;
  /** Runs `shipshape ...args` in this process (with more environment or text on stdin); the output as text and the exit code. */
  run(args: string[], extra?: { env?: Record<string, string>; input?: string }): Promise<CliOutcome>;
  /** The same in a child process; `cwd`: where it runs from (default: the repository, as `npm run` would). */
  runProcess(args: string[], extra?: { env?: Record<string, string>; input?: string; cwd?: string }): CliOutcome;
  /** Opens the sandbox's database in this process (close it before the next `run` on PGlite). */
  open(): Promise<Runtime>;
  /** Waits until a killed command's database can be opened again (see `dataDirReleased`). */
  released(): Promise<void>;
  remove(): Promise<void>;
}

/**
 * A process killed with the embedded database open leaves the data directory's lock behind
 * (db/data-dir-lock.ts) until the kernel has reaped it: resolves once the directory can be opened.
 */
export async function dataDirReleased(dataDir: string): Promise<void> {
  while (!(await dataDirLockFree(resolve(dataDir)))) await new Promise((r) => setTimeout(r, 50));
}

export async function cliSandbox(driver: Driver, configYaml: string): Promise<CliSandbox> {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-cli-"));
  const configPath = join(dir, "shipshape.yaml");
  writeFileSync(configPath, configYaml);
  const env: Record<string, string> = { SHIPSHAPE_CONFIG: configPath, SHIPSHAPE_DATA_DIR: join(dir, "data"), DATABASE_URL: "", USER: "tester" };
  const database = driver === "postgres" ? await postgresDatabase("cli", { migrated: false }) : undefined;
  if (database) env.DATABASE_URL = database.url;
  return {
    env,
    run: (args, extra = {}) => runInProcess(args, { ...process.env, ...env, ...extra.env }, extra.input ?? ""),
    runProcess(args, extra = {}) {
      const result = spawnSync(process.execPath, [shipshape, ...args], {
        cwd: extra.cwd,
        env: { ...process.env, ...env, ...extra.env },
        encoding: "utf8",
        input: extra.input ?? "",
      });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    open: () => openRuntime({ ...process.env, ...env }),
    released: () => (database ? Promise.resolve() : dataDirReleased(env.SHIPSHAPE_DATA_DIR!)),
    async remove() {
      rmSync(dir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}

/** `shipshape ...args` through `runCli`, its stdin the given text (not a terminal), its output collected. */
export async function runInProcess(args: string[], env: NodeJS.ProcessEnv, input: string): Promise<CliOutcome> {
  const collected = { stdout: "", stderr: "" };
  const collector = (stream: keyof typeof collected) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        collected[stream] += chunk.toString();
        done();
      },
    });
  const code = await runCli(args, { env, stdin: Readable.from([input]), stdout: collector("stdout"), stderr: collector("stderr"), exitCode: 0 });
  return { code, ...collected };
}
