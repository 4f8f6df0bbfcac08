/**
 * The retro view of one sprint (issue #7): deployments per calendar day, the delivery KPIs, the
 * failed deployments and the incidents of a window, each beside the previous sprint of the same
 * length. Values come from the KPI modules themselves and the lists from their drill-down
 * events, so the retro shows the same numbers as the report for the same window.
 */
import { sql } from "drizzle-orm";
import type { Store } from "@/db/client";
import { changeFailureRate } from "@/lib/kpis/definitions/change-failure-rate";
import { deploymentFrequency } from "@/lib/kpis/definitions/deployment-frequency";
import { projectIncidents } from "@/lib/kpis/entities/scope";
import type { Direction, Kpi, KpiContext, KpiEvent, Unit } from "@/lib/kpis/kpi";
import { leadTimeForChanges } from "@/lib/kpis/definitions/lead-time-for-changes";
import { hoursBetween, isoInstant } from "@/lib/kpis/sql/fragments";
import { timeToRestore } from "@/lib/kpis/definitions/time-to-restore";
import { localDate, previousWindow, shiftDate, type ReportWindow } from "@/lib/time/window";
import type { Config } from "@/lib/config/load";
import { UserError } from "@/lib/errors/user-error";
import { resolveRequest } from "./build";

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
  /** The KPI id, or deployments / failed_deployments / failed_rollouts / incidents for counts. */
  id: string;
  title: string;
  /** What the value is over, in a few words. */
  note: string;
  unit: Unit;
  direction: Direction;
  value: number | null;
  previous: number | null;
  /** value − previous; null when either is unknown. */
  change: number | null;
  /** Whether the change is an improvement in the value's direction; null when unchanged or unknown. */
  better: boolean | null;
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
  /** The sprint in numbers, in reading order: deployments, lead time, failures, incidents. */
  summary: Comparison[];
  /** Deployments counted as failed changes by change_failure_rate, with why in their title. */
  failed_deployments: { events: KpiEvent[]; previous: number };
  /** Incidents that started in the window (open ones included), oldest first. */
  incidents: { list: RetroIncident[]; previous: number };
}

export async function buildRetro(store: Store, config: Config, request: RetroParameters): Promise<Retro> {
  const { project, window, now } = resolveRequest(config, { ...request, defaultDays: RETRO_DAYS });
  if (window.days > MAX_RETRO_DAYS) {
    throw new UserError(`the window has ${window.days} days; a retro covers at most ${MAX_RETRO_DAYS}`, "invalid");
  }
  const current: KpiContext = { project, config, window, now };
  const before: KpiContext = { ...current, window: previousWindow(window) };
  const [sprint, previous] = [await sprintFacts(store, current), await sprintFacts(store, before)];
  const count = (id: string, title: string, note: string, direction: Direction, pick: (facts: SprintFacts) => number) =>
    comparison({ id, title, note, unit: "count", direction }, pick(sprint), pick(previous));
  const kpi = ({ id, title, unit, direction }: Kpi, note: string) =>
    comparison({ id, title, note, unit, direction }, sprint.values.get(id) ?? null, previous.values.get(id) ?? null);
  return {
    project: { slug: project.slug, name: project.name, timezone: window.timezone },
    window,
    previous: before.window,
    days: { current: sprint.days, previous: previous.days },
    summary: [
      count("deployments", "Deployments", "completed, to production", "higher", (facts) => total(facts.days)),
      kpi(deploymentFrequency, "deployments per day"),
      kpi(leadTimeForChanges, "median, commit to production"),
      kpi(changeFailureRate, "of production deployments"),
      count("failed_deployments", "Failed deployments", "rolled back, incident or reverted", "lower", (facts) => facts.failed.length),
      count("failed_rollouts", "Failed rollouts", "never reached production", "lower", (facts) => facts.failedRollouts),
      count("incidents", "Incidents", "started in the sprint", "lower", (facts) => facts.incidents.length),
      kpi(timeToRestore, "median, incidents resolved in the sprint"),
    ],
    failed_deployments: { events: sprint.failed, previous: previous.failed.length },
    incidents: { list: sprint.incidents, previous: previous.incidents.length },
  };
}

interface SprintFacts {
  days: DayCount[];
  /** Project-level values of the retro's KPIs, by id. */
  values: Map<string, number | null>;
  failed: KpiEvent[];
  failedRollouts: number;
  incidents: RetroIncident[];
}

const RETRO_KPIS: readonly Kpi[] = [leadTimeForChanges, changeFailureRate, timeToRestore];

async function sprintFacts(store: Store, context: KpiContext): Promise<SprintFacts> {
  const values = new Map<string, number | null>();
  const [frequency] = await deploymentFrequency.compute(store, context);
  values.set(deploymentFrequency.id, frequency?.value ?? null);
  for (const kpi of RETRO_KPIS) values.set(kpi.id, (await kpi.compute(store, context))[0]?.value ?? null);
  return {
    days: await deploymentsPerDay(store, context),
    values,
    failed: (await changeFailureRate.events(store, context, null)).filter((event) => event.value === 1),
    failedRollouts: frequency?.breakdown?.failed_rollouts ?? 0,
    incidents: await incidentsStarted(store, context),
  };
}

function comparison(identity: Omit<Comparison, "value" | "previous" | "change" | "better">, value: number | null, previous: number | null): Comparison {
  const change = value !== null && previous !== null ? value - previous : null;
  const better = change === null || change === 0 ? null : change > 0 === (identity.direction === "higher");
  return { ...identity, value, previous, change, better };
}

const total = (days: DayCount[]) => days.reduce((sum, day) => sum + day.deployments, 0);

/**
 * Completed production deployments per calendar day of the window in its zone — the events
 * deployment_frequency counts, so the bars add up to its sample size. A DST day is one day
 * (23 or 25 hours long).
 */
export async function deploymentsPerDay(store: Store, context: KpiContext): Promise<DayCount[]> {
  const { window } = context;
  const counts = new Map<string, number>();
  for (const event of await deploymentFrequency.events(store, context, null)) {
    const date = localDate(new Date(event.at), window.timezone);
    counts.set(date, (counts.get(date) ?? 0) + 1);
  }
  return Array.from({ length: window.days }, (_, index) => {
    const date = shiftDate(window.from, index);
    return { date, deployments: counts.get(date) ?? 0 };
  });
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
