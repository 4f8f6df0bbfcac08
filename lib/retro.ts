/**
 * The retro view of one sprint (issue #7): deployments per calendar day, the delivery KPIs, the
 * failed deployments and the incidents of a window, each beside the previous sprint of the same
 * length. Values come from the KPI modules themselves and the lists from their drill-down
 * events, so the retro shows the same numbers as the report for the same window.
 */
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { changeFailureRate } from "./kpis/change-failure-rate";
import { deploymentFrequency } from "./kpis/deployment-frequency";
import { projectIncidents } from "./kpis/scope";
import type { Direction, Kpi, KpiContext, KpiEvent, Unit } from "./kpis/kpi";
import { leadTimeForChanges } from "./kpis/lead-time-for-changes";
import { hoursBetween, isoInstant } from "./kpis/sql";
import { timeToRestore } from "./kpis/time-to-restore";
import { previousWindow, shiftDate, type ReportWindow } from "./kpis/window";
import type { Config } from "./config/load";
import { ReportError, resolveRequest } from "./report";

/** Without from/to the retro shows a two-week sprint: the last 14 days ending yesterday. */
export const RETRO_DAYS = 14;
/** One bar a day: a quarter is the longest window that still reads as a sprint chart. */
export const MAX_RETRO_DAYS = 92;

export interface RetroParameters {
  project: string;
  from?: string;
  to?: string;
  /** "Today" for the default window; injectable in tests. */
  now?: Date;
}

/** Deployments on one calendar day of the project's zone. */
export interface DayCount {
  date: string;
  deployments: number;
}

/** A value in this sprint and in the previous one. */
export interface Comparison {
  id: string;
  title: string;
  unit: Unit;
  direction: Direction;
  value: number | null;
  previous: number | null;
  /** value − previous; null when either is unknown. */
  change: number | null;
  /** Whether the change is an improvement in the KPI's direction; null when unchanged or unknown. */
  better: boolean | null;
  sample_size: number;
}

export interface RetroIncident {
  id: string;
  source: string;
  title: string | null;
  url: string | null;
  started_at: string;
  resolved_at: string | null;
  /** Hours from start to resolution; null while unresolved. */
  hours: number | null;
}

export interface Retro {
  project: { slug: string; name: string; timezone: string };
  window: ReportWindow;
  previous: ReportWindow;
  /** One entry per calendar day of each window, oldest first: day i of both sprints at index i. */
  days: { current: DayCount[]; previous: DayCount[] };
  kpis: Comparison[];
  /** Deployments counted as failed changes by change_failure_rate, with why in their title. */
  failed_deployments: { events: KpiEvent[]; previous: number };
  /** Production rollouts that failed and never reached production (beside deployment frequency). */
  failed_rollouts: { value: number; previous: number };
  /** Incidents that started in the window (open ones included), oldest first. */
  incidents: { list: RetroIncident[]; previous: number };
}

const RETRO_KPIS: readonly Kpi[] = [deploymentFrequency, leadTimeForChanges, changeFailureRate, timeToRestore];

export async function buildRetro(store: Store, config: Config, request: RetroParameters): Promise<Retro> {
  const { project, window, now } = resolveRequest(config, { ...request, defaultDays: RETRO_DAYS });
  if (window.days > MAX_RETRO_DAYS) {
    throw new ReportError(`the window has ${window.days} days; a retro covers at most ${MAX_RETRO_DAYS}`, "bad_request");
  }
  const current: KpiContext = { project, config, window, now };
  const before: KpiContext = { ...current, window: previousWindow(window) };
  const kpis: Comparison[] = [];
  for (const kpi of RETRO_KPIS) kpis.push(await compare(store, kpi, current, before));
  const [rollouts, rolloutsBefore] = [await failedRollouts(store, current), await failedRollouts(store, before)];
  return {
    project: { slug: project.slug, name: project.name, timezone: window.timezone },
    window,
    previous: before.window,
    days: { current: await deploymentsPerDay(store, current), previous: await deploymentsPerDay(store, before) },
    kpis,
    failed_deployments: {
      events: await failedDeployments(store, current),
      previous: (await failedDeployments(store, before)).length,
    },
    failed_rollouts: { value: rollouts, previous: rolloutsBefore },
    incidents: { list: await incidentsStarted(store, current), previous: (await incidentsStarted(store, before)).length },
  };
}

/**
 * Completed production deployments per calendar day of the window in its zone — the events
 * deployment_frequency counts, so the bars add up to its sample size. A DST day is one day
 * (23 or 25 hours long).
 */
export async function deploymentsPerDay(store: Store, context: KpiContext): Promise<DayCount[]> {
  const { window } = context;
  const counts = new Map<string, number>();
  for (const event of await deploymentFrequency.events(store, context, null)) {
    const date = format(new TZDate(new Date(event.at).getTime(), window.timezone), "yyyy-MM-dd");
    counts.set(date, (counts.get(date) ?? 0) + 1);
  }
  return Array.from({ length: window.days }, (_, index) => {
    const date = shiftDate(window.from, index);
    return { date, deployments: counts.get(date) ?? 0 };
  });
}

async function compare(store: Store, kpi: Kpi, current: KpiContext, before: KpiContext): Promise<Comparison> {
  const [entry] = await kpi.compute(store, current);
  const [previousEntry] = await kpi.compute(store, before);
  const value = entry?.value ?? null;
  const previous = previousEntry?.value ?? null;
  const change = value !== null && previous !== null ? value - previous : null;
  return {
    id: kpi.id,
    title: kpi.title,
    unit: kpi.unit,
    direction: kpi.direction,
    value,
    previous,
    change,
    better: change === null || change === 0 ? null : (change > 0) === (kpi.direction === "higher"),
    sample_size: entry?.sampleSize ?? 0,
  };
}

async function failedDeployments(store: Store, context: KpiContext): Promise<KpiEvent[]> {
  return (await changeFailureRate.events(store, context, null)).filter((event) => event.value === 1);
}

async function failedRollouts(store: Store, context: KpiContext): Promise<number> {
  const [entry] = await deploymentFrequency.compute(store, context);
  return entry?.breakdown?.failed_rollouts ?? 0;
}

/** The project's incidents that started in the window, from every source, oldest first. */
export async function incidentsStarted(store: Store, context: KpiContext): Promise<RetroIncident[]> {
  const { window } = context;
  return store.rows<RetroIncident & Record<string, unknown>>(sql`
    SELECT i.id, i.source, i.title, i.url, ${isoInstant(sql`i.started_at`)} AS started_at,
      CASE WHEN i.resolved_at IS NULL THEN NULL ELSE ${isoInstant(sql`i.resolved_at`)} END AS resolved_at,
      ${hoursBetween(sql`i.started_at`, sql`i.resolved_at`)} AS hours
    FROM (${projectIncidents(context, { startedSince: window.start })}) AS i
    WHERE i.started_at < ${window.end}::timestamptz
    ORDER BY i.started_at, i.id`);
}

/**
 * A link target only for http(s) URLs: titles and URLs come from GitHub, Jira and log files,
 * and a `javascript:` URL in an href would run on click.
 */
export function httpUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const { protocol } = new URL(url);
    return protocol === "http:" || protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}
