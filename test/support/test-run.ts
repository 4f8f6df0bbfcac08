/**
 * One test run's own corner of the machine, so that several runs (several engineers, or CI
 * beside them) never meet: a directory in the system temp dir that holds everything the run
 * makes, an id that names its databases, and an environment marker that every process of the
 * run inherits, so that the reaper can find them all if the run is killed.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/** The environment variable every process of a run carries: its value is the run's id. */
export const RUN_MARKER = "SHIPSHAPE_TEST_RUN";

export interface TestRun {
  /** Eight hex digits, part of every database name of the run. */
  id: string;
  /** The run's directory: the PGlite template, the PostgreSQL data, and `tmp`. */
  dir: string;
  /** The temp dir of the tests and of every process they start (TMPDIR points here). */
  tmp: string;
}

export function createTestRun(): TestRun {
  const id = randomBytes(4).toString("hex");
  const dir = mkdtempSync(join(tmpdir(), `shipshape-test-${id}-`));
  // The embedded PostgreSQL runs as the postgres user, which must be able to enter its data directory.
  chmodSync(dir, 0o755);
  const tmp = join(dir, "tmp");
  mkdirSync(tmp);
  return { id, dir, tmp };
}

/**
 * What the run left in its temp dir: every test removes what it makes, so anything here is a
 * leak (a test that forgot its directory, a browser profile of a browser never closed). tsx's
 * compile cache (`tsx-<uid>`, from the CLI child processes) is the one expected entry.
 */
export function leftovers(run: TestRun): string[] {
  const expected = new Set([`tsx-${userInfo().uid}`]);
  return readdirSync(run.tmp).filter((entry) => !expected.has(entry));
}

/** Every process whose environment carries the run's marker, with its parent (Linux: /proc). */
export function processesOfRun(runId: string): { pid: number; parent: number; command: string }[] {
  const marker = `${RUN_MARKER}=${runId}`;
  const found: { pid: number; parent: number; command: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(marker)) continue;
      const parent = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
      found.push({ pid, parent, command: readFileSync(`/proc/${pid}/cmdline`, "latin1").replaceAll("\0", " ").trim().slice(0, 120) });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

export function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}
