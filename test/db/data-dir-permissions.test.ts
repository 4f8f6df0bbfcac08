/**
 * The embedded database's directory is private (issue 22): it holds password hashes, sessions
 * and the unsubscribe key. Every directory in it is 0700 and every file 0600 — the ones PGlite
 * writes when it creates the database and the ones it writes later — even under umask 000; a
 * directory found open to others is tightened at start, and the notice says so once.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "@/db/client";
import { migrate } from "@/db/migrate";

/** Every entry under `dir` (itself included) by its permission bits: {"700 dir": n, "600 file": m}. */
function modes(dir: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const visit = (path: string) => {
    const stat = lstatSync(path);
    const key = `${(stat.mode & 0o777).toString(8)} ${stat.isDirectory() ? "dir" : "file"}`;
    counts[key] = (counts[key] ?? 0) + 1;
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
  };
  visit(dir);
  return counts;
}

const onlyPrivate = (counts: Record<string, number>) => Object.keys(counts).sort();

describe("embedded data directory permissions", () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "shipshape-perms-"));
    // The loosest umask there is: whatever the process's umask, the data stays private.
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it("creates the directory 0700 and every file 0600, also those written after it opened", async () => {
    const dataDir = join(root, "nested", "data");
    const notices: string[] = [];
    const store = await openStore({ dataDir, notice: (line) => notices.push(line) });
    await migrate(store);
    await store.db.execute(sql`CREATE TABLE later (id serial PRIMARY KEY, note text)`);
    await store.db.execute(sql`INSERT INTO later (note) SELECT repeat('x', 1000) FROM generate_series(1, 5000)`);
    await store.db.execute(sql`CREATE INDEX later_note ON later (note)`);
    await store.db.execute(sql`CHECKPOINT`);
    const whileOpen = modes(dataDir);
    await store.close();
    const afterClose = modes(dataDir);
    expect(onlyPrivate(whileOpen)).toEqual(["600 file", "700 dir"]);
    expect(onlyPrivate(afterClose)).toEqual(["600 file", "700 dir"]);
    expect(afterClose["600 file"]).toBeGreaterThan(900);
    expect(notices).toEqual([]); // a new directory is private from the start: nothing to say
    expect(process.umask()).toBe(0); // the process's own umask is back once the store is closed
  });

  it("tightens an existing directory that others can read, saying so once", async () => {
    const dataDir = join(root, "data");
    await (await openStore({ dataDir, notice: () => {} })).close();
    // As an older version left it: world-readable directories, world-writable files.
    const loosen = (path: string) => {
      const stat = lstatSync(path);
      chmodSync(path, stat.isDirectory() ? 0o755 : 0o666);
      if (stat.isDirectory()) for (const entry of readdirSync(path)) loosen(join(path, entry));
    };
    loosen(dataDir);
    mkdirSync(join(dataDir, "stray"), { mode: 0o777 });
    writeFileSync(join(dataDir, "stray", "note"), "x", { mode: 0o644 });
    const loose = modes(dataDir);

    const notices: string[] = [];
    await (await openStore({ dataDir, notice: (line) => notices.push(line) })).close();
    const dirs = Object.entries(loose).filter(([key]) => key.endsWith("dir")).reduce((sum, [, n]) => sum + n, 0);
    const files = Object.entries(loose).filter(([key]) => key.endsWith("file")).reduce((sum, [, n]) => sum + n, 0);
    expect(notices).toEqual([`the embedded database in ${dataDir} was open to other users: made it private (${dirs} directories now 0700, ${files} files now 0600)`]);
    expect(onlyPrivate(modes(dataDir))).toEqual(["600 file", "700 dir"]);

    await (await openStore({ dataDir, notice: (line) => notices.push(line) })).close();
    expect(notices).toHaveLength(1);
  });
});
