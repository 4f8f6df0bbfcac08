/**
 * Ingest speed against a raw COPY (docs/benchmarks.md, "Ingest"): BENCH_LINES (default 1M)
 * deployment-log lines are ingested through the real path into a fresh PostgreSQL database,
 * and the same rows, already normalized, are COPYed into the same table of another fresh
 * database. Each run is a child process; its peak RSS is the kernel's maximum resident size.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import postgres from "postgres";
import { readDeployLog } from "@/connectors/deploy-log";
import { COPY_COLUMNS } from "./support/copy-columns";

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const SERVER = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:55433/postgres";
const RUNNER = join(dirname(fileURLToPath(import.meta.url)), "support", "ingest-run.ts");

interface RunResult {
  rows: number;
  seconds: number;
  peakRssMb: number;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-bench-"));
  try {
    const log = join(dir, "deployments.jsonl");
    const csv = join(dir, "deployments.csv");
    let started = performance.now();
    await writeLines(log, LINES, deploymentLine);
    await writeCopyFile(log, csv);
    console.log(`generated ${LINES} lines in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    started = performance.now();
    const ingest = await inFreshDatabase((url) => runChild("ingest", url, log));
    const copy = await inFreshDatabase((url) => runChild("copy", url, csv));
    const rate = (result: RunResult) => Math.round(result.rows / result.seconds);
    console.log("| path | rows | seconds | rows/s | peak RSS |");
    console.log("|---|---|---|---|---|");
    for (const [name, result] of [["ingest (lib/ingest)", ingest], ["COPY", copy]] as const) {
      console.log(`| ${name} | ${result.rows} | ${result.seconds.toFixed(1)} | ${rate(result)} | ${result.peakRssMb} MB |`);
    }
    console.log(`\ningest / COPY = ${(rate(ingest) / rate(copy)).toFixed(2)} (target ≥ 0.5), peak RSS ${ingest.peakRssMb} MB (target < 300 MB)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A realistic deployment: a few services and environments, mostly successes, some hotfixes. */
function deploymentLine(index: number): string {
  const finished = Date.UTC(2025, 0, 1) + index * 30_000;
  const service = `service-${index % 40}`;
  return JSON.stringify({
    type: "deployment",
    id: `deploy-${index}`,
    service,
    environment: index % 3 === 0 ? "staging" : "production",
    status: index % 17 === 0 ? "failure" : index % 41 === 0 ? "rolled_back" : "success",
    kind: index % 5 === 0 ? "model" : "code",
    started_at: new Date(finished - 240_000).toISOString(),
    finished_at: new Date(finished).toISOString().replace("Z", "+00:00"),
    version: `v1.${index % 1000}.${index % 7}`,
    repo: `acme/${service}`,
    commit_sha: (index * 2654435761).toString(16).padStart(12, "0").slice(-12).repeat(4).slice(0, 40),
    hotfix: index % 50 === 0,
  });
}

async function writeLines(path: string, count: number, lineOf: (index: number) => string): Promise<void> {
  const out = createWriteStream(path);
  for (let index = 0; index < count; index++) {
    if (!out.write(`${lineOf(index)}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** The same rows as the ingest stores, as CSV for COPY (prepared before the clock starts). */
async function writeCopyFile(log: string, csv: string): Promise<void> {
  const out = createWriteStream(csv);
  for await (const entry of await readDeployLog(log)) {
    if (!entry.ok) throw new Error(`generated line ${entry.line} was rejected: ${entry.reason}`);
    const row = entry.row as Record<string, unknown>;
    const cells = COPY_COLUMNS.map((column) => csvCell(column === "raw" ? JSON.stringify(row.raw) : row[camel(column)]));
    if (!out.write(`${cells.join(",")}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

const camel = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? `"${value.replaceAll('"', '""')}"` : String(value);
}

async function inFreshDatabase<T>(action: (url: string) => Promise<T>): Promise<T> {
  const name = `shipshape_bench_${randomUUID().replaceAll("-", "")}`;
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(SERVER);
    url.pathname = `/${name}`;
    return await action(url.toString());
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function runChild(mode: "ingest" | "copy", url: string, file: string): Promise<RunResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", RUNNER, mode, url, file], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as RunResult;
}
