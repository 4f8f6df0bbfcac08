/**
 * The KPI report (interfaces.md, "Report JSON"): every catalog KPI of a project over a window,
 * with the previous window's value, the target in force at the window's end, the status and
 * the DORA band and the Quick Check scores (the drill-down behind a value: ./events.ts; the report
 * as CSV: ./csv.ts). The CLI and the HTTP routes call these and only format the result.
 */
import { z } from "zod";
import type { Store } from "@/db/client";
import type { Config, ProjectConfig } from "@/lib/config/load";
import { projectOf } from "@/lib/config/projects";
import { invalidInput, UserError } from "@/lib/errors/user-error";
import { catalog } from "@/lib/kpis/catalog";
import type { KpiId } from "@/lib/kpis/ids";
import type { Band, Kpi, KpiContext, KpiEntry, Pillar, Unit } from "@/lib/kpis/kpi";
import { defaultWindow, previousWindow, reportWindow, shiftDate, type ReportWindow } from "@/lib/time/window";
import { statusOf, type Status, type TargetInForce } from "@/lib/targets/status";
import { currentTargets, targetsAtWindowEnd } from "@/lib/targets/store";
import { isTimeZone } from "@/lib/time/zone";
import { doraBand, type DoraBandSet } from "@/lib/kpis/dora/bands";
import { quickCheckScores, scoredKpis, type QuickCheckScores } from "@/lib/kpis/dora/quick-check";
import type { Direction } from "@/lib/kpis/kpi";
import { FORECAST_WEEKS, forecastTarget, type Forecast } from "@/lib/targets/forecast";
import { completeWeeks } from "@/lib/time/weeks";
import { DAYS_PER_WEEK } from "@/lib/time/units";
import { weeklyEntries } from "./trends";

export interface ReportEntry {
  id: KpiId;
  pillar: Pillar;
  unit: Unit;
  dimension: string | null;
  value: number | null;
  sample_size: number;
  previous: number | null;
  target: TargetInForce | null;
  status: Status;
  band: Band | null;
  coverage: { deployments: number; without_commit: number } | null;
  /** For a target with a due date: the KPI projected to it (lib/targets/forecast.ts); else null. */
  forecast: Forecast | null;
}

export interface Report {
  project: string;
  from: string;
  to: string;
  timezone: string;
  days: number;
  kpis: ReportEntry[];
  /** DORA Quick Check scores (0–10) of the five DORA KPIs' project entries with a value, and their mean. */
  scores: QuickCheckScores;
}

export interface ReportParameters {
  project: string;
  from?: string;
  to?: string;
  tz?: string;
  /** "Today" for the default window and "now" for KPIs that stop at the present; injectable in tests. */
  now?: Date;
  /** The default window's length in days (the report's is 28; the retro view's a 14-day sprint). */
  defaultDays?: number;
  /**
   * Judge the values against the targets in force at this instant instead of at the window's
   * end: the targets page shows what a target just set makes of the current values.
   */
  targetsAt?: Date;
}

const date = z.iso.date({ message: "must be a date YYYY-MM-DD" });
/** The report's window in a query string (GET /api/projects/SLUG/kpis?from=&to=&tz=; the OpenAPI document reads it too). */
export const reportQuery = z.object({
  from: date.optional(),
  to: date.optional(),
  tz: z.string().refine(isTimeZone, { message: "is not an IANA time zone name (e.g. Europe/Berlin)" }).optional(),
});
const parameters = reportQuery.extend({ project: z.string().min(1, "must not be empty") });

/** The default window's length, when neither date is given (interfaces.md: the last 28 days ending yesterday). */
const DEFAULT_DAYS = 28;

/** The report of one project over a window. */
export async function buildReport(store: Store, config: Config, request: ReportParameters): Promise<Report> {
  const { project, window, now } = resolveRequest(config, request);
  const context: KpiContext = { project, config, window, now };
  const previous: KpiContext = { ...context, window: previousWindow(window) };
  const [current, before, targets] = await Promise.all([
    Promise.all(catalog.map((kpi) => kpi.compute(store, context))),
    Promise.all(catalog.map((kpi) => kpi.compute(store, previous))),
    request.targetsAt ? currentTargets(store, project.slug, request.targetsAt) : targetsAtWindowEnd(store, project.slug, window),
  ]);
  const built = catalog.flatMap((kpi, index) =>
    current[index]!.map((entry) => ({
      kpi,
      direction: entry.direction ?? kpi.direction,
      entry: reportEntry(kpi, entry, before[index]!, targets.get(kpi.id, entry.dimension), config.dora_bands),
    })),
  );
  const kpis = await withForecasts(store, { project, config, window, now }, built);
  return { project: project.slug, from: window.from, to: window.to, timezone: window.timezone, days: window.days, kpis, scores: scoresOf(kpis) };
}

function scoresOf(kpis: ReportEntry[]): QuickCheckScores {
  const projectValue = (id: string) => kpis.find((entry) => entry.id === id && entry.dimension === null)?.value ?? null;
  return quickCheckScores(Object.fromEntries(scoredKpis.map((id) => [id, projectValue(id)])));
}

function reportEntry(kpi: Kpi, entry: KpiEntry, previousEntries: KpiEntry[], target: TargetInForce | null, bands: DoraBandSet): ReportEntry {
  const direction = entry.direction ?? kpi.direction;
  return {
    id: kpi.id,
    pillar: kpi.pillar,
    unit: kpi.unit,
    dimension: entry.dimension,
    value: entry.value,
    sample_size: entry.sampleSize,
    previous: previousEntries.find((p) => p.dimension === entry.dimension)?.value ?? null,
    target,
    status: statusOf(entry.value, target, direction),
    band: entry.value === null ? null : doraBand(kpi.id, entry.value, bands),
    coverage: entry.coverage ?? null,
    forecast: null,
  };
}

/**
 * The entries with the forecast of each target that has a due date. Only those KPIs' weekly
 * series are computed — the last FORECAST_WEEKS complete weeks up to the window's end, by the
 * same KPI modules as the trends (./trends.ts) — so a report without due dates costs nothing more.
 * Rates, durations and percentages are the same over a week as over the window; a count is not
 * (12 bug fixes in 28 days are 3 a week), so a count's weekly values are scaled to the window's
 * length and the projection is "the count of a window like this one ending at the due date".
 */
async function withForecasts(store: Store, context: KpiContext, built: { kpi: Kpi; direction: Direction; entry: ReportEntry }[]): Promise<ReportEntry[]> {
  const due = built.filter(({ entry }) => entry.target?.due !== undefined);
  if (due.length === 0) return built.map(({ entry }) => entry);
  const kpis = catalog.filter((kpi) => due.some((item) => item.kpi.id === kpi.id));
  const { window } = context;
  const weeks = completeWeeks(window.timezone, FORECAST_WEEKS, shiftDate(window.to, 1));
  const values = await weeklyEntries(store, context.config, context.project, weeks, kpis, context.now);
  return built.map(({ kpi, direction, entry }) => {
    const target = entry.target;
    if (target?.due === undefined) return entry;
    const weekly = values[kpis.indexOf(kpi)]!;
    // A count is per window: a week's count times the window's weeks, as the target is judged (28 days: × 4).
    const scale = kpi.unit === "count" ? window.days / DAYS_PER_WEEK : 1;
    const series = weeks.map((week, index) => {
      const value = weekly[index]!.find((e) => e.dimension === entry.dimension)?.value ?? null;
      return { monday: week.from, value: value === null ? null : value * scale };
    });
    return { ...entry, forecast: forecastTarget(series, { value: target.value, due: target.due }, direction, kpi.unit) };
  });
}

/** The project, window and "now" of a request, or a UserError saying what is wrong. */
export function resolveRequest(config: Config, request: ReportParameters): { project: ProjectConfig; window: ReportWindow; now: Date } {
  const parsed = parameters.safeParse(request);
  if (!parsed.success) throw invalidInput(parsed.error);
  const { from, to, tz } = parsed.data;
  const project = projectOf(config, parsed.data.project);
  const now = request.now ?? new Date();
  const timezone = tz ?? project.timezone;
  const window = windowOf(timezone, now, request.defaultDays ?? DEFAULT_DAYS, from, to);
  if (window.days < 1) throw new UserError(`from (${window.from}) is after to (${window.to})`, "invalid");
  return { project, window, now };
}

/**
 * Both dates given: that window. Neither: the last `days` days ending yesterday. Only `to`: the
 * `days` days ending at `to`. Only `from`: from `from` to yesterday.
 */
function windowOf(timezone: string, now: Date, days: number, from?: string, to?: string): ReportWindow {
  const fallback = defaultWindow(timezone, now, days);
  const end = to ?? fallback.to;
  const start = from ?? (to ? shiftDate(to, 1 - days) : fallback.from);
  return reportWindow(start, end, timezone);
}
