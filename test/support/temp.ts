import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

/**
 * A new directory in the temp dir, removed when the current test finishes (call it inside a
 * test): global teardown fails a run that leaves anything in its temp dir.
 */
export function testDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `shipshape-${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
