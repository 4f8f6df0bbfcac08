/**
 * Reports and trends of past windows, kept in memory until the database changes. The overview
 * computes every project's report (16 KPIs × 2 windows each): on the embedded database, which
 * runs one query at a time, that is ~300 ms for the demo's three projects, too slow for a page;
 * a project's 26 weekly trends take ~1 s. Values of a window that has ended change only when
 * the data does, so they are cached under the database's current transaction snapshot
 * (`pg_current_snapshot()`: the next transaction id and those still running). Every write
 * transaction that starts or ends changes it, in any process on the database, while reads do
 * not — so a cached value is never older than the data.
 */
import { sql } from "drizzle-orm";
import type { Store } from "@/db/client";
import type { Config } from "@/lib/config/load";
import { findProject } from "@/lib/config/projects";
import { localDate, reportWindow } from "@/lib/time/window";
import { buildReport, type Report } from "./build";
import { DEFAULT_PRESET, presetWindow } from "@/lib/time/window-choice";
import { completeWeeks } from "@/lib/time/weeks";
import { DEFAULT_TREND_WEEKS, weeklyTrends, type Trend, type TrendParameters } from "./trends";

/** Enough for every project × a few windows; the oldest entry goes first. */
const MAX_ENTRIES = 200;

declare global {
  var __shipshapeReportCaches: WeakMap<Store, Map<string, unknown>> | undefined;
}

/**
 * Per store: tests open several databases in one process. On globalThis, not in a module
 * variable: Next bundles the pages' copy of this module apart from the server's, and the
 * server's warm-up at start (`warmReports`, the portfolio's `warmHeadlineTrends`) must fill
 * the cache the pages and routes read.
 */
const caches = (globalThis.__shipshapeReportCaches ??= new WeakMap<Store, Map<string, unknown>>());

export interface CachedReportParameters {
  project: string;
  from: string;
  to: string;
  now?: Date;
}

/**
 * `buildReport` for a window given by its dates, from the cache when the database has not
 * changed since. Windows that reach into the present (their values move with the clock) are
 * always computed.
 */
export async function cachedReport(store: Store, config: Config, request: CachedReportParameters): Promise<Report> {
  const now = request.now ?? new Date();
  const timezone = findProject(config, request.project)?.timezone;
  const ended = timezone !== undefined && Date.parse(reportWindow(request.from, request.to, timezone).end) <= now.getTime();
  const compute = () => buildReport(store, config, request);
  return ended ? whileUnchanged(store, ["report", request.project, request.from, request.to], compute) : compute();
}

/** `weeklyTrends`, from the cache when the database has not changed since and every week shown has ended. */
export async function cachedTrends(store: Store, config: Config, request: TrendParameters): Promise<Trend> {
  const now = request.now ?? new Date();
  const timezone = findProject(config, request.project)?.timezone;
  const compute = () => weeklyTrends(store, config, request);
  if (timezone === undefined) return compute();
  const weeks = completeWeeks(timezone, request.weeks ?? DEFAULT_TREND_WEEKS, request.until ?? localDate(now, timezone));
  const ended = weeks.every((week) => Date.parse(week.end) <= now.getTime());
  const key = ["trends", request.project, weeks[0]?.from, weeks.length, request.kpis?.join(",") ?? "*"];
  return ended ? whileUnchanged(store, key, compute) : compute();
}

async function whileUnchanged<T>(store: Store, key: unknown[], compute: () => Promise<T>): Promise<T> {
  const [row] = await store.rows<{ snapshot: string }>(sql`SELECT pg_current_snapshot()::text AS snapshot`);
  const cacheKey = JSON.stringify([row!.snapshot, ...key]);
  const cache = caches.get(store) ?? caches.set(store, new Map()).get(store)!;
  if (cache.has(cacheKey)) return cache.get(cacheKey) as T;
  const value = await compute();
  cache.set(cacheKey, value);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return value;
}

/**
 * Computes every project's report for the default window (the last 28 days), so the first view
 * of the overview comes from the cache; the server calls it at start. A later write makes the
 * next view compute again. Returns the reports, in project order.
 */
export async function warmReports(store: Store, config: Config, now: Date = new Date()): Promise<Report[]> {
  const reports: Report[] = [];
  for (const project of config.projects) {
    const { from, to } = presetWindow(DEFAULT_PRESET, project.timezone, now);
    reports.push(await cachedReport(store, config, { project: project.slug, from, to, now }));
  }
  return reports;
}
