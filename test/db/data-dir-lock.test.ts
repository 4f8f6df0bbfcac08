import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "@/db/client";
import { COMMANDS_TIMEOUT } from "@/test/support/cli";

const cli = resolve(import.meta.dirname, "../../bin/shipshape.js");

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
    const second = await promisify(execFile)(process.execPath, [cli, "migrate"], {
      cwd: dir,
      env: { ...process.env, SHIPSHAPE_DATA_DIR: dataDir, DATABASE_URL: "" },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
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
});
