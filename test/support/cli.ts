/**
 * The real `shipshape` command in a child process, against its own configuration and database
 * on one driver: a temporary data directory (PGlite) or a fresh PostgreSQL database.
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { openRuntime, type Runtime } from "@/lib/server/runtime";
import type { Driver } from "./db";
import { withDatabase } from "./global-setup";

const shipshape = resolve(import.meta.dirname, "../../bin/shipshape.js");

export interface CliSandbox {
  env: Record<string, string>;
  /** Runs `shipshape ...args` (with more environment or text on stdin); the output as text and the exit code. */
  /** `cwd`: where the command runs from (default: the repository, as `npm run` would). */
  run(args: string[], extra?: { env?: Record<string, string>; input?: string; cwd?: string }): { code: number | null; stdout: string; stderr: string };
  /** Opens the sandbox's database in this process (close it before the next `run` on PGlite). */
  open(): Promise<Runtime>;
  remove(): Promise<void>;
}

export async function cliSandbox(driver: Driver, configYaml: string): Promise<CliSandbox> {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-cli-"));
  const configPath = join(dir, "shipshape.yaml");
  writeFileSync(configPath, configYaml);
  const env: Record<string, string> = { SHIPSHAPE_CONFIG: configPath, SHIPSHAPE_DATA_DIR: join(dir, "data"), DATABASE_URL: "", USER: "tester" };
  const database = `shipshape_cli_${randomUUID().replaceAll("-", "")}`;
  const admin = () => postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  if (driver === "postgres") {
    const client = admin();
    await client.unsafe(`CREATE DATABASE ${database}`);
    await client.end();
    env.DATABASE_URL = withDatabase(process.env.TEST_DATABASE_URL!, database);
  }
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
    async remove() {
      rmSync(dir, { recursive: true, force: true });
      if (driver === "postgres") {
        const client = admin();
        await client.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await client.end();
      }
    },
  };
}
