import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import lockfile from "proper-lockfile";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "@/db/client";
import { COMMANDS_TIMEOUT } from "@/test/support/cli";

const cli = resolve(import.meta.dirname, "../../bin/shipshape.js");
const client = resolve(import.meta.dirname, "../../db/client.ts");

/** Whether the directory's lock was refreshed in the last 10 s (before the owner file, a lock this fresh refused everyone). */
const lockFresh = (dataDir: string) => lockfile.check(dataDir, { lockfilePath: join(dataDir, ".lock"), stale: 10_000, realpath: false });

/** `shipshape migrate` on `dataDir` in a child process: its exit code and stderr. */
function migrate(dir: string, dataDir: string): Promise<{ code: number; stderr: string }> {
  return promisify(execFile)(process.execPath, [cli, "migrate"], {
    cwd: dir,
    env: { ...process.env, SHIPSHAPE_DATA_DIR: dataDir, DATABASE_URL: "" },
  }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code: number; stderr: string }) => error,
  );
}

describe("embedded data directory", { timeout: COMMANDS_TIMEOUT }, () => {
  let dir: string;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a second process with one clear line while the first has it open", async () => {
    dir = mkdtempSync(join(tmpdir(), "shipshape-lock-"));
    const dataDir = join(dir, "data");
    store = await openStore({ dataDir });
    const second = await migrate(dir, dataDir);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `shipshape: the embedded database in ${dataDir} is in use by another Shipshape process (is the server running?); ` +
        "stop it first, or set DATABASE_URL to use a PostgreSQL server that several processes can share\n",
    );
  });

  it("opens again once the first process has closed it", async () => {
    dir = mkdtempSync(join(tmpdir(), "shipshape-lock-"));
    const dataDir = join(dir, "data");
    await (await openStore({ dataDir })).close();
    store = await openStore({ dataDir });
    expect(store.kind).toBe("pglite");
  });

  it("is taken over at once when the process holding it was killed", async () => {
    dir = mkdtempSync(join(tmpdir(), "shipshape-lock-"));
    const dataDir = join(dir, "data");
    const holder = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", `await (await import(${JSON.stringify(client)})).openStore({ dataDir: ${JSON.stringify(dataDir)} }); console.log("open"); setInterval(() => {}, 1000);`],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise((opened) => holder.stdout!.once("data", opened));
    // The boot can hold its event loop past the refresh time: wait for the first refresh after it.
    while (!(await lockFresh(dataDir))) await new Promise((r) => setTimeout(r, 100));
    expect(JSON.parse(readFileSync(join(dataDir, ".lock.owner"), "utf8"))).toMatchObject({ pid: holder.pid });
    const killed = new Promise((exited) => holder.once("exit", exited));
    holder.kill("SIGKILL");
    await killed;
    // Its lock is still fresh: what frees it is that its owner is gone.
    expect(await lockFresh(dataDir)).toBe(true);
    store = await openStore({ dataDir });
    expect(JSON.parse(readFileSync(join(dataDir, ".lock.owner"), "utf8"))).toMatchObject({ pid: process.pid });
    await store.close();
    store = undefined;
    expect(existsSync(join(dataDir, ".lock.owner"))).toBe(false);
  });
});
