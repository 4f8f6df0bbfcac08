/**
 * The KPI report (interfaces.md, "Report JSON"): every catalog KPI of a project over a window,
 * with the previous window's value, the target in force at the window's end, the status and
 * the DORA band and the Quick Check scores; the drill-down behind one value; and the report as CSV. The CLI and the HTTP
 * routes call these and only format the result.
 */
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { Store } from "@/db/client";
import { unknownProjectMessage, type Config, type ProjectConfig } from "@/lib/config/load";
import { catalog, findKpi } from "@/lib/kpis/catalog";
import type { Band, Kpi, KpiContext, KpiEntry, KpiEvent, Pillar, Unit } from "@/lib/kpis/kpi";
import { defaultWindow, previousWindow, reportWindow, shiftDate, type ReportWindow } from "@/lib/time/window";
import { currentTargets, statusOf, targetKey, targetsAtWindowEnd, type Status, type TargetInForce } from "@/lib/targets/targets";
import { isTimeZone } from "@/lib/time/zone";
import { doraBand, type DoraBandSet } from "@/lib/kpis/dora/bands";
import { quickCheckScores, scoredKpis, type QuickCheckScores } from "@/lib/kpis/dora/quick-check";

/** Why a report cannot be made: an unknown project or KPI (404), or bad parameters (400). */
export class ReportError extends Error {
  constructor(
    message: string,
    readonly kind: "not_found" | "bad_request",
  ) {
    super(message);
  }
}

export interface ReportEntry {
  id: string;
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
  const kpis = catalog.flatMap((kpi, index) =>
    current[index]!.map((entry) =>
      reportEntry(kpi, entry, before[index]!, targets.get(targetKey(kpi.id, entry.dimension)) ?? null, config.dora_bands),
    ),
  );
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
  };
}

export interface KpiEventsParameters extends ReportParameters {
  kpi: string;
  /** The entry's dimension; absent or null for the project entry. */
  dimension?: string | null;
}

export interface KpiEvents {
  project: string;
  kpi: string;
  dimension: string | null;
  from: string;
  to: string;
  timezone: string;
  days: number;
  value: number | null;
  sample_size: number;
  /** Counts beside the value (deployment_frequency: failed_rollouts), else null. */
  breakdown: Record<string, number> | null;
  events: KpiEvent[];
}

/** The drill-down: the events one KPI value (project entry or one dimension) was computed from. */
export async function kpiEvents(store: Store, config: Config, request: KpiEventsParameters): Promise<KpiEvents> {
  const { project, window, now } = resolveRequest(config, request);
  const kpi = findKpi(request.kpi);
  if (!kpi) throw new ReportError(`unknown KPI "${request.kpi}" (one of ${catalog.map((k) => k.id).join(", ")})`, "not_found");
  const dimension = request.dimension || null;
  const context: KpiContext = { project, config, window, now };
  const [entries, events] = await Promise.all([kpi.compute(store, context), kpi.events(store, context, dimension)]);
  const entry = entries.find((e) => e.dimension === dimension);
  if (!entry) throw new ReportError(`${kpi.id} has no entry for dimension "${dimension}" in project ${project.slug}`, "not_found");
  return {
    project: project.slug,
    kpi: kpi.id,
    dimension,
    from: window.from,
    to: window.to,
    timezone: window.timezone,
    days: window.days,
    value: entry.value,
    sample_size: entry.sampleSize,
    breakdown: entry.breakdown ?? null,
    events,
  };
}

const CSV_COLUMNS = [
  "project",
  "from",
  "to",
  "timezone",
  "days",
  "id",
  "pillar",
  "unit",
  "dimension",
  "value",
  "sample_size",
  "previous",
  "target",
  "warn",
  "status",
  "band",
  "coverage_deployments",
  "coverage_without_commit",
] as const;

/** The report as CSV: a header, then one row per entry in report order; empty cells for nulls. */
export function reportCsv(report: Report): string {
  const rows = report.kpis.map((entry) => [
    report.project,
    report.from,
    report.to,
    report.timezone,
    report.days,
    entry.id,
    entry.pillar,
    entry.unit,
    entry.dimension,
    entry.value,
    entry.sample_size,
    entry.previous,
    entry.target?.value,
    entry.target?.warn,
    entry.status,
    entry.band,
    entry.coverage?.deployments,
    entry.coverage?.without_commit,
  ]);
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS], record_delimiter: "unix" });
}

/** The project, window and "now" of a request, or a ReportError saying what is wrong. */
export function resolveRequest(config: Config, request: ReportParameters): { project: ProjectConfig; window: ReportWindow; now: Date } {
  const parsed = parameters.safeParse(request);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new ReportError(`${issue!.path.join(".")}: ${issue!.message}`, "bad_request");
  }
  const { from, to, tz } = parsed.data;
  const project = config.projects.find((p) => p.slug === parsed.data.project);
  if (!project) throw new ReportError(unknownProjectMessage(config, parsed.data.project), "not_found");
  const now = request.now ?? new Date();
  const timezone = tz ?? project.timezone;
  const window = windowOf(timezone, now, request.defaultDays ?? DEFAULT_DAYS, from, to);
  if (window.days < 1) throw new ReportError(`from (${window.from}) is after to (${window.to})`, "bad_request");
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
