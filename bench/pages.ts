/**
 * Dashboard page speed (docs/benchmarks.md, "Dashboard pages"): the real server
 * (`shipshape serve`, demo mode: three projects, six months) on the embedded database, and on
 * PostgreSQL when BENCH_DATABASE_URL is set (a fresh database there). Each page is fetched 3
 * times to warm up, then PAGE_RUNS times one after the other; the table gives the median and
 * the 90th percentile of the time to the first byte and to the whole HTML. "computed": every
 * request asks for another 28-day window (ending 1, 2, 3, … days earlier), so no report comes
 * from the cache (lib/report/cache.ts); "cached": the same window again, unchanged data.
 */
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { startServer } from "@/test/support/server";
import { withDatabase } from "@/test/support/postgres-admin";

const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 20);
const WARM_UP = 3;
const PAGES = ["/", "/projects/fraud-detection", "/projects/fraud-detection/kpis/lead_time_for_changes", "/projects/fraud-detection/kpis/deployment_frequency"];
const TRENDS = "/api/projects/fraud-detection/trends";
const DAY = 86_400_000;

export async function run(): Promise<void> {
  console.log("| driver | page | reports | first byte ms (median / p90) | whole page ms (median / p90) |");
  console.log("|---|---|---|---:|---:|");
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
    for (const [index, page] of PAGES.entries()) {
      // Windows no earlier page asked for: the overview computes every project's report.
      const shift = (run: number) => run + index * (WARM_UP + PAGE_RUNS);
      await time(driver, server.url, page, "computed", (run) => `${page}?preset=custom&from=${daysAgo(28 + shift(run))}&to=${daysAgo(1 + shift(run))}`);
      await time(driver, server.url, page, "cached", () => page);
    }
    // The trends of 26 weeks ending 0, 1, 2, … weeks before this one, then the same again.
    await time(driver, server.url, TRENDS, "computed", (run) => `${TRENDS}?until=${daysAgo(7 * run)}`);
    await time(driver, server.url, TRENDS, "cached", () => TRENDS);
  } finally {
    await server.stop();
  }
}

async function time(driver: string, base: string, page: string, reports: string, url: (run: number) => string): Promise<void> {
  const firstByte: number[] = [];
  const whole: number[] = [];
  for (let run = 0; run < WARM_UP + PAGE_RUNS; run++) {
    const start = performance.now();
    const response = await fetch(`${base}${url(run)}`);
    const headers = performance.now();
    await response.text();
    if (!response.ok) throw new Error(`${url(run)}: HTTP ${response.status}`);
    if (run < WARM_UP) continue;
    firstByte.push(headers - start);
    whole.push(performance.now() - start);
  }
  console.log(`| ${driver} | \`${page}\` | ${reports} | ${spread(firstByte)} | ${spread(whole)} |`);
}

/** A date `days` before today (UTC), YYYY-MM-DD. */
function daysAgo(days: number): string {
  return new Date(Date.now() - days * DAY).toISOString().slice(0, 10);
}

function spread(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  return `${at(0.5)} / ${at(0.9)}`;
}
