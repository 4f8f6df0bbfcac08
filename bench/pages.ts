/**
 * Dashboard page speed (docs/benchmarks.md, "Dashboard pages"): the real server
 * (`shipshape serve`, demo mode: three projects, six months) on the embedded database, and on
 * PostgreSQL when BENCH_DATABASE_URL is set (a fresh database there). Each page is fetched 3
 * times to warm up, then PAGE_RUNS times one after the other; the table gives the median and
 * the 90th percentile of the time to the first byte and to the whole HTML.
 */
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { startServer } from "../test/support/server";
import { withDatabase } from "../test/support/global-setup";

const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 20);
const WARM_UP = 3;
const PAGES = [
  "/",
  "/projects/fraud-detection",
  "/projects/fraud-detection/kpis/lead_time_for_changes",
  "/projects/fraud-detection/kpis/deployment_frequency",
  "/api/projects/fraud-detection/trends",
];

export async function run(): Promise<void> {
  console.log("| driver | page | first byte ms (median / p90) | whole page ms (median / p90) |");
  console.log("|---|---|---:|---:|");
  await measure("PGlite", {});
  const server = process.env.BENCH_DATABASE_URL;
  if (!server) return;
  const database = `shipshape_bench_pages_${randomUUID().replaceAll("-", "")}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${database}`);
  try {
    await measure("PostgreSQL", { DATABASE_URL: withDatabase(server, database) });
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

async function measure(driver: string, env: Record<string, string>): Promise<void> {
  const server = await startServer(env);
  try {
    for (const page of PAGES) {
      const firstByte: number[] = [];
      const whole: number[] = [];
      for (let run = 0; run < WARM_UP + PAGE_RUNS; run++) {
        const start = performance.now();
        const response = await fetch(`${server.url}${page}`);
        const headers = performance.now();
        await response.text();
        if (!response.ok) throw new Error(`${page}: HTTP ${response.status}`);
        if (run < WARM_UP) continue;
        firstByte.push(headers - start);
        whole.push(performance.now() - start);
      }
      console.log(`| ${driver} | \`${page}\` | ${spread(firstByte)} | ${spread(whole)} |`);
    }
  } finally {
    await server.stop();
  }
}

function spread(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  return `${at(0.5)} / ${at(0.9)}`;
}
