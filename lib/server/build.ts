/**
 * `npm start` must work straight after `npm install`, and after a `git pull`: build the Next
 * app when there is no build yet or when a source file is newer than the build.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = ["app", "lib", "db", "connectors", "next.config.ts", "tsconfig.json", "package-lock.json"];

export function buildIfStale(root: string, log: (line: string) => void): void {
  const buildId = join(root, ".next", "BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (builtAt > 0 && newestMtime(root, SOURCES) <= builtAt) return;
  log(builtAt ? "sources changed since the last build: building the app…" : "building the app (first start only)…");
  const result = spawnSync(process.execPath, [nextBin(root), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed (see its output above)");
}

function nextBin(root: string): string {
  return join(root, "node_modules", "next", "dist", "bin", "next");
}

function newestMtime(root: string, paths: string[]): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of paths) visit(join(root, path));
  return newest;
}
