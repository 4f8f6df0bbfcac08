/**
 * Reports of past windows, kept in memory until the database changes. The overview computes
 * every project's report (16 KPIs × 2 windows each): on the embedded database, which runs one
 * query at a time, that is ~300 ms for the demo's three projects, too slow for a page. A
 * report of a window that has ended changes only when the data does, so it is cached under the
 * database's current transaction snapshot (`pg_current_snapshot()`: the next transaction id and
 * those still running). Every write transaction that starts or ends changes it, in any process
 * on the database, while reads do not — so a cached report is never older than the data.
 */
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import type { Config } from "./config/load";
import { reportWindow } from "./kpis/window";
import { buildReport, type Report } from "./report";

/** Enough for every project × a few windows; the oldest entry goes first. */
const MAX_ENTRIES = 200;

/** Per store: tests open several databases in one process. */
const caches = new WeakMap<Store, Map<string, Report>>();

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
  const timezone = config.projects.find((p) => p.slug === request.project)?.timezone;
  const ended = timezone !== undefined && Date.parse(reportWindow(request.from, request.to, timezone).end) <= now.getTime();
  if (!ended) return buildReport(store, config, request);
  const key = JSON.stringify([await databaseSnapshot(store), request.project, request.from, request.to]);
  const cache = caches.get(store) ?? caches.set(store, new Map()).get(store)!;
  const hit = cache.get(key);
  if (hit) return hit;
  const report = await buildReport(store, config, request);
  cache.set(key, report);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return report;
}

async function databaseSnapshot(store: Store): Promise<string> {
  const [row] = await store.rows<{ snapshot: string }>(sql`SELECT pg_current_snapshot()::text AS snapshot`);
  return row!.snapshot;
}
