/**
 * Runs every benchmark in bench/ (each file here but this one exports `run`), or only those
 * named on the command line: `npm run bench -- ingest`.
 */
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dir = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benchmarks = readdirSync(dir)
  .filter((file) => file.endsWith(".ts") && file !== "index.ts")
  .filter((file) => only.length === 0 || only.includes(basename(file, ".ts")))
  .sort();

for (const file of benchmarks) {
  console.log(`\n## ${basename(file, ".ts")}\n`);
  const { run } = (await import(join(dir, file))) as { run: () => Promise<void> };
  await run();
}
