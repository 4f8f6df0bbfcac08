/**
 * The lock on an embedded data directory: two processes on one PGlite directory silently lose
 * writes, so the directory is locked for as long as it is open (proper-lockfile: a `.lock`
 * directory whose time is refreshed every 2 s while we live, stale a minute after it stops —
 * not less: PGlite's boot can hold the event loop for over ten seconds on a loaded machine,
 * and a lock gone stale meanwhile would let a second process in).
 *
 * Beside the lock, `.lock.owner` says which process holds it (host and pid), so that a lock
 * whose process was killed on this machine is taken over at once instead of locking everyone
 * out for the minute it takes to go stale: a server killed with kill -9, then
 * `shipshape sync`, just works. The owner is a file beside the lock, not in it, because
 * proper-lockfile removes its lock with rmdir, which an entry inside would make fail.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import lockfile from "proper-lockfile";

/** Thrown when the embedded data directory is already open in another process. */
export class DataDirInUseError extends Error {
  constructor(dataDir: string) {
    super(
      `the embedded database in ${dataDir} is in use by another Shipshape process (is the server running?); ` +
        `stop it first, or set DATABASE_URL to use a PostgreSQL server that several processes can share`,
    );
  }
}

const lockPath = (dir: string) => `${dir}/.lock`;
const ownerPath = (dir: string) => `${dir}/.lock.owner`;
const LOCK_OPTIONS = { stale: 60_000, update: 2_000, realpath: false } as const;

/** Locks `dir` (an absolute path) for this process; resolves to the function that unlocks it. */
export async function lockDataDir(dir: string, dataDir: string): Promise<() => Promise<void>> {
  try {
    return await acquire(dir);
  } catch (error) {
    if ((error as { code?: string }).code !== "ELOCKED") throw error;
    if (!heldByGoneProcess(dir)) throw new DataDirInUseError(dataDir);
    // Its holder was killed on this machine: the lock is stale now, not in a minute.
    rmSync(lockPath(dir), { recursive: true, force: true });
    return await acquire(dir).catch((again: { code?: string }) => {
      throw again.code === "ELOCKED" ? new DataDirInUseError(dataDir) : again;
    });
  }
}

/** Whether `dir` could be opened now: nobody holds its lock, or its holder is gone. */
export async function dataDirLockFree(dir: string): Promise<boolean> {
  return !(await lockfile.check(dir, { ...LOCK_OPTIONS, lockfilePath: lockPath(dir) })) || heldByGoneProcess(dir);
}

async function acquire(dir: string): Promise<() => Promise<void>> {
  const unlock = await lockfile.lock(dir, { ...LOCK_OPTIONS, lockfilePath: lockPath(dir) });
  writeFileSync(ownerPath(dir), JSON.stringify({ host: hostname(), pid: process.pid }), { mode: 0o600 });
  return async () => {
    rmSync(ownerPath(dir), { force: true });
    await unlock();
  };
}

/**
 * True only when the owner file names a process of this host that no longer exists. No file
 * (a holder killed between taking the lock and writing it), another host, a live process or
 * one we may not signal: false, and the lock goes stale by its time as before.
 */
function heldByGoneProcess(dir: string): boolean {
  let owner: { host?: unknown; pid?: unknown };
  try {
    owner = JSON.parse(readFileSync(ownerPath(dir), "utf8")) as typeof owner;
  } catch {
    return false;
  }
  if (owner.host !== hostname() || !Number.isSafeInteger(owner.pid) || (owner.pid as number) <= 0) return false;
  try {
    process.kill(owner.pid as number, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === "ESRCH";
  }
}
