/**
 * The real `shipshape` command in a child process, against its own configuration and database
 * on one driver: a temporary data directory (PGlite) or a fresh PostgreSQL database.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { dataDirLockFree } from "@/db/data-dir-lock";
import { openRuntime, type Runtime } from "@/lib/server/runtime";
import { postgresDatabase, type Driver } from "./db";

const shipshape = resolve(import.meta.dirname, "../../bin/shipshape.js");

/**
 * The timeout of a test that runs real `shipshape` processes one after another: each start
 * costs seconds (node, tsx, the embedded database's boot), many times that on a machine shared
 * with other test runs, and such a test is not about speed. It only bounds a hang.
 */
export const COMMANDS_TIMEOUT = 600_000;

export interface CliSandbox {
  env: Record<string, string>;
  /** Runs `shipshape ...args` (with more environment or text on stdin); the output as text and the exit code. */
  /** `cwd`: where the command runs from (default: the repository, as `npm run` would). */
  run(args: string[], extra?: { env?: Record<string, string>; input?: string; cwd?: string }): { code: number | null; stdout: string; stderr: string };
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
    run(args, extra = {}) {
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
