/**
 * Report speed against history size (docs/benchmarks.md, "Report"). A generated history of
 * 50 projects — per project 10 deployments a day, every deployment a new commit on the default
 * branch (40 % of them merged pull requests, each with one own commit; every tenth a merge of a
 * `develop` branch without a pull request, bringing five develop commits through its second
 * parent), an incident for every fifth deployment and GitHub issues — is written straight into a
 * fresh database with generate_series, then enriched as the GitHub sync would (commits placed
 * on the line, linked to pull requests). At scale 1: 1,000,000 deployments, 200,000 incidents
 * and 2,500,000 other records (1.5M commits, 400k pull requests, 400k PR commits, 200k issues)
 * over 2,000 days. Scales grow the history in time at the same density, so a fixed window holds
 * the same events.
 *
 * For each scale (BENCH_REPORT_SCALES, default "0.1,1") and driver (PostgreSQL at
 * BENCH_DATABASE_URL; PGlite at scales up to BENCH_PGLITE_MAX_SCALE, default 0.1), the full
 * report of one project is timed for the last 28 and 365 days: cold (the first report on a new
 * connection) and warm (the median of 5 more). Then the project's 26-week trends (16 KPIs), the
 * same way: as the trends compute them (one pass for the KPIs with a `series`), and, as the
 * baseline, every KPI's `compute` once per week.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { enrichRepo } from "@/connectors/github/enrichers";
import { openStore, type Store } from "@/db/client";
import { migrate } from "@/db/migrate";
import { parseConfig, type Config } from "@/lib/config/load";
import { refreshShippedCommitsOf } from "@/lib/kpis/entities/shipped-derivation";
import { buildReport } from "@/lib/report/build";
import { DEFAULT_TREND_WEEKS, weeklyTrends } from "@/lib/report/trends";
import { projectOf } from "@/lib/config/projects";
import { catalog } from "@/lib/kpis/catalog";
import { completeWeeks } from "@/lib/time/weeks";

const SERVER = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:55433/postgres";
const SCALES = (process.env.BENCH_REPORT_SCALES ?? "0.1,1").split(",").map(Number);
const PGLITE_MAX_SCALE = Number(process.env.BENCH_PGLITE_MAX_SCALE ?? 0.1);
const PROJECTS = 50;
const DEPLOYMENTS_PER_PROJECT = 20_000;
const DEPLOYMENT_MINUTES = 144; // 10 a day
const HISTORY_END = "2026-11-01T00:00:00Z";
const WARM_RUNS = 5;
/** The trends' weeks end with the last complete week of the history (Monday 2026-11-02 is after it). */
const TRENDS_UNTIL = "2026-11-02";
const WINDOWS = [
  { name: "28 days", from: "2026-10-04", to: "2026-10-31" },
  { name: "365 days", from: "2025-11-01", to: "2026-10-31" },
];

export async function run(): Promise<void> {
  const config = benchConfig();
  console.log("| driver | scale | deployments | window | cold ms | warm ms (median of 5) |");
  console.log("|---|---:|---:|---|---:|---:|");
  for (const scale of SCALES) {
    await onPostgres(async (url) => {
      const generated = await generate(url, scale);
      await report("PostgreSQL", scale, generated, () => openStore({ databaseUrl: url }), config);
    });
    if (scale <= PGLITE_MAX_SCALE) {
      const store = await openStore({ memory: true });
      await migrate(store);
      const generated = await generateIn(store, scale);
      await report("PGlite", scale, generated, async () => store, config);
      await store.close();
    }
  }
}

async function report(driver: string, scale: number, deployments: number, open: () => Promise<Store>, config: Config) {
  for (const window of WINDOWS) {
    const store = await open();
    const { cold, warm } = await coldAndWarm(() => buildReport(store, config, { project: "p7", from: window.from, to: window.to }));
    console.log(`| ${driver} | ${scale} | ${deployments.toLocaleString("en")} | ${window.name} | ${cold.toFixed(0)} | ${warm.toFixed(0)} |`);
    if (driver !== "PGlite") await store.close();
  }
  const now = new Date(HISTORY_END);
  const project = projectOf(config, "p7");
  const weeks = completeWeeks(project.timezone, DEFAULT_TREND_WEEKS, TRENDS_UNTIL);
  const trends = {
    "26-week trends": (store: Store) => weeklyTrends(store, config, { project: "p7", until: TRENDS_UNTIL, now }),
    "26 weeks, per-week compute": (store: Store) =>
      Promise.all(catalog.map((kpi) => Promise.all(weeks.map((window) => kpi.compute(store, { project, config, window, now }))))),
  };
  for (const [name, compute] of Object.entries(trends)) {
    const store = await open();
    const { cold, warm } = await coldAndWarm(() => compute(store));
    console.log(`| ${driver} | ${scale} | ${deployments.toLocaleString("en")} | ${name} | ${cold.toFixed(0)} | ${warm.toFixed(0)} |`);
    if (driver !== "PGlite") await store.close();
  }
}

/** The first run's milliseconds, and the median of WARM_RUNS more. */
async function coldAndWarm(run: () => Promise<unknown>): Promise<{ cold: number; warm: number }> {
  const time = async () => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };
  const cold = await time();
  const warm: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) warm.push(await time());
  warm.sort((a, b) => a - b);
  return { cold, warm: warm[Math.floor(WARM_RUNS / 2)]! };
}

function benchConfig(): Config {
  const projects = Array.from(
    { length: PROJECTS },
    (_, p) => `  - { slug: p${p}, name: Project ${p}, services: [svc-${p}], models: [model-${p}], github: { repos: [acme/repo-${p}] } }`,
  );
  return parseConfig(`projects:\n${projects.join("\n")}\n`, "bench.yaml", {});
}

async function onPostgres(action: (url: string) => Promise<void>) {
  const database = `shipshape_bench_${randomUUID().replaceAll("-", "")}`;
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${database}`);
  const url = new URL(SERVER);
  url.pathname = `/${database}`;
  try {
    await action(url.toString());
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

async function generate(url: string, scale: number): Promise<number> {
  const store = await openStore({ databaseUrl: url });
  try {
    await migrate(store);
    return await generateIn(store, scale);
  } finally {
    await store.close();
  }
}

/** Fills the tables with generate_series; returns the number of deployments. */
export async function generateIn(store: Store, scale: number): Promise<number> {
  const started = performance.now();
  const perProject = Math.round(DEPLOYMENTS_PER_PROJECT * scale);
  // Deployment i of project p finishes at finished(i) and deploys commit sha(i).
  const finished = (i: string) => sql.raw(`('${HISTORY_END}'::timestamptz - (${perProject} - ${i}) * interval '${DEPLOYMENT_MINUTES} minutes')`);
  const sha = (i: string) => sql.raw(`(md5('c' || p || '-' || ${i}) || left(md5('d' || p || '-' || ${i}), 8))`);
  const developSha = (j: string) => sql.raw(`(md5('v' || p || '-' || ${j}) || left(md5('w' || p || '-' || ${j}), 8))`);
  const series = sql.raw(`generate_series(0, ${PROJECTS - 1}) AS p, generate_series(0, ${perProject - 1}) AS i`);
  await store.db.execute(sql`
    INSERT INTO deployments (source, external_id, raw, service, environment, status, kind, finished_at, repo, commit_sha, model, hotfix)
    SELECT 'bench', 'd-' || p || '-' || i, '{}'::jsonb, 'svc-' || p, CASE WHEN i % 10 = 9 THEN 'staging' ELSE 'production' END,
      CASE WHEN i % 15 = 7 THEN 'failure' WHEN i % 20 = 3 THEN 'rolled_back' ELSE 'success' END, 'code',
      ${finished("i")}, 'acme/repo-' || p, ${sha("i")}, 'model-' || p, i % 50 = 0
    FROM ${series}`);
  // Main commit i: a merge of develop when i % 10 = 7 (no pull request: its develop commits are
  // lone changes reachable only through the second parent), else one change.
  await store.db.execute(sql`
    INSERT INTO commits (source, external_id, raw, repo, sha, parents, authored_at, on_default_branch, pull_number, message)
    SELECT 'bench', p || '-' || i, '{}'::jsonb, 'acme/repo-' || p, ${sha("i")},
      CASE WHEN i = 0 THEN '{}'::text[] WHEN i % 10 = 7 THEN ARRAY[${sha("(i - 1)")}, ${developSha("(i / 10 * 5 + 4)")}] ELSE ARRAY[${sha("(i - 1)")}] END,
      ${finished("i")} - interval '5 hours', true, CASE WHEN i % 5 < 2 THEN i END, 'change ' || i
    FROM ${series}`);
  // The develop branch: forked from main's first commit, five commits before each merge, never
  // merged back — so every ancestor walk that follows second parents and stops only at deployed
  // commits would walk all of it.
  await store.db.execute(sql`
    INSERT INTO commits (source, external_id, raw, repo, sha, parents, authored_at, on_default_branch, message)
    SELECT 'bench', p || '-dev-' || j, '{}'::jsonb, 'acme/repo-' || p, ${developSha("j")},
      CASE WHEN j = 0 THEN ARRAY[${sha("0")}] ELSE ARRAY[${developSha("(j - 1)")}] END,
      ${finished("(j / 5 * 10)")} + (j % 5) * interval '1 hour', true, 'develop ' || j
    FROM generate_series(0, ${PROJECTS - 1}) AS p, generate_series(0, ${Math.floor(perProject / 10) * 5 - 1}) AS j
    WHERE j / 5 * 10 + 7 < ${perProject}`);
  await store.db.execute(sql`
    INSERT INTO pull_requests (source, external_id, raw, repo, number, title, base_ref, head_ref, merged_to_default, merged_at, merge_commit_sha, labels, created_at, updated_at)
    SELECT 'bench', p || '#' || i, '{}'::jsonb, 'acme/repo-' || p, i, 'PR ' || i, 'main', CASE WHEN i % 35 = 0 THEN 'hotfix/' ELSE 'feature/' END || i,
      true, ${finished("i")} - interval '5 hours', ${sha("i")}, CASE WHEN i % 45 = 0 THEN ARRAY['hotfix'] ELSE '{}'::text[] END,
      ${finished("i")} - interval '30 hours', ${finished("i")} - interval '5 hours'
    FROM ${series} WHERE i % 5 < 2`);
  await store.db.execute(sql`
    INSERT INTO pull_request_commits (repo, number, sha, authored_at)
    SELECT 'acme/repo-' || p, i, md5('pc' || p || '-' || i) || '00000000', ${finished("i")} - interval '30 hours'
    FROM ${series} WHERE i % 5 < 2`);
  await store.db.execute(sql`
    INSERT INTO incidents (source, external_id, raw, started_at, resolved_at, service, deployment_id)
    SELECT 'bench', 'i-' || p || '-' || i, '{}'::jsonb, ${finished("i")} + interval '1 hour', ${finished("i")} + interval '4 hours',
      'svc-' || p, CASE WHEN i % 10 = 0 THEN 'd-' || p || '-' || i END
    FROM ${series} WHERE i % 5 = 0`);
  await store.db.execute(sql`
    INSERT INTO work_items (source, external_id, raw, container, key, title, labels, status, resolution, created_at, resolved_at, updated_at)
    SELECT 'github', p || '/' || i, '{}'::jsonb, 'acme/repo-' || p, i::text, 'issue ' || i,
      CASE i % 20 WHEN 0 THEN ARRAY['incident'] WHEN 1 THEN ARRAY['enhancement'] ELSE ARRAY['bug'] END,
      'closed', 'completed', ${finished("i")}, ${finished("i")} + interval '2 days', ${finished("i")} + interval '2 days'
    FROM ${series} WHERE i % 5 = 1`);
  // The GitHub sync's enrichers, as after a first sync: commits placed on the line, linked to pull requests.
  await store.db.execute(sql`ANALYZE`);
  const enriching = performance.now();
  for (let p = 0; p < PROJECTS; p++) await enrichRepo(store, `acme/repo-${p}`);
  console.error(`enriched ${PROJECTS} repos on ${store.kind} in ${((performance.now() - enriching) / 1000).toFixed(0)} s`);
  // As after that sync: the derived tables made (the report would otherwise derive them at its first read).
  const deriving = performance.now();
  await refreshShippedCommitsOf(store, benchConfig());
  console.error(`derived the shipped commits of ${PROJECTS} projects on ${store.kind} in ${((performance.now() - deriving) / 1000).toFixed(1)} s`);
  await store.db.execute(sql`VACUUM ANALYZE`);
  const [{ count }] = (await store.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM deployments`)) as [{ count: number }];
  console.error(`generated scale ${scale} (${count} deployments) on ${store.kind} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return count;
}
