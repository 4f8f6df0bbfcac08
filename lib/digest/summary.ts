/**
 * What the weekly email says, as data: one project's report for one Monday–Sunday week in its
 * zone (lib/report/build.ts, so the numbers are the report's), the targets missed, the biggest movers,
 * eight weeks of deployment frequency and lead time for the chart, and the subject line. The
 * HTML and text renderings (render.ts) only format this.
 */
import { z } from "zod";
import type { Store } from "@/db/client";
import type { Annotation } from "@/lib/annotations/marks";
import { projectAnnotations } from "@/lib/annotations/store";
import type { Config, ProjectConfig } from "@/lib/config/load";
import { projectOf } from "@/lib/config/projects";
import { UserError } from "@/lib/errors/user-error";
import { kpiById } from "@/lib/kpis/catalog";
import type { KpiId } from "@/lib/kpis/ids";
import type { Band, Direction, Unit } from "@/lib/kpis/kpi";
import { localDate, reportWindow, shiftDate, type ReportWindow } from "@/lib/time/window";
import { buildReport } from "@/lib/report/build";
import { entryView, type EntryView } from "@/lib/report/view";
import type { Status, TargetInForce } from "@/lib/targets/status";
import { forecastWords, type Forecast } from "@/lib/targets/forecast";
import { catalog } from "@/lib/kpis/catalog";
import { weeklyTrends } from "@/lib/report/trends";
import { mondayOf } from "@/lib/time/weeks";
import { relativeChange, rowChangeWords } from "./format";

export interface DigestRow {
  id: KpiId;
  title: string;
  dimension: string | null;
  unit: Unit;
  /** Null for model quality, whose metrics each have their own direction. */
  direction: Direction | null;
  value: number | null;
  previous: number | null;
  /** Percent change from the week before; null when there is none to compute. */
  change: number | null;
  target: TargetInForce | null;
  status: Status;
  band: Band | null;
  sampleSize: number;
  /** The target's forecast when it has a due date (lib/targets/forecast.ts). */
  forecast: Forecast | null;
}

/** A target whose trend will not reach it by its due date: its own section of the email. */
export interface OffTrack {
  row: DigestRow;
  /** "off track — at this pace 2.1 / day by 31 Mar, target 3 / day" */
  words: string;
}

export interface Mover {
  row: DigestRow;
  /** The change in percent, signed as the value moved (up is positive). */
  change: number;
}

export interface TrendLine {
  id: string;
  title: string;
  unit: Unit;
  values: (number | null)[];
  /** The project target's forecast, drawn on the chart when it is off track. */
  forecast: Forecast | null;
}

/** A source or setting that would give a project KPIs it has no data for. */
export interface ConnectHint {
  what: string;
  gives: string[];
  /** Whether the project's configuration already names it (then data has simply not arrived). */
  configured: boolean;
}

export interface WeeklySummary {
  project: { slug: string; name: string; timezone: string };
  /** Monday to Sunday in the project's zone; `from` is the week's key in digest_sends. */
  week: ReportWindow;
  /** The project entry of every KPI, in catalog order. */
  rows: DigestRow[];
  /** Every entry (dimensions too) with a target and a value: the ones a status was judged for. */
  judged: number;
  missed: DigestRow[];
  atRisk: DigestRow[];
  /** Targets with a due date whose forecast is off track, soonest due first. */
  offTrack: OffTrack[];
  best: Mover | null;
  worst: Mover | null;
  /** The Mondays of the chart's weeks, oldest first, ending with this week. */
  trendWeeks: string[];
  trends: TrendLine[];
  /** The notes and events of the chart's weeks (lib/annotations/), oldest first: marked on the charts; this week's are listed. */
  annotations: Annotation[];
  /** No KPI had a single event this week. */
  noData: boolean;
  connect: ConnectHint[];
  subject: string;
}

export const TREND_WEEKS = 8;
/** Data freshness lag has a value without any record (the whole week is a gap): it is no sign that data arrived. */
const MEASURES_ABSENCE = new Set(["data_freshness_lag"]);
export const TREND_KPIS = ["deployment_frequency", "lead_time_for_changes"] as const;
/** Smaller moves are noise in a weekly count and stay out of the subject line. */
export const NOTABLE_CHANGE_PERCENT = 10;

/** The Monday of the week to summarise: the week containing `date`, else the week before `now`'s. */
export function digestWeek(timezone: string, now: Date, date?: string): string {
  if (date) return mondayOf(date, timezone);
  return shiftDate(mondayOf(localDate(now, timezone), timezone), -7);
}

export async function weeklySummary(
  store: Store,
  config: Config,
  request: { project: string; week?: string; now?: Date },
): Promise<WeeklySummary> {
  const project = projectOf(config, request.project);
  if (request.week !== undefined && !z.iso.date().safeParse(request.week).success) {
    throw new UserError(`week: must be a date YYYY-MM-DD, not "${request.week}"`, "invalid");
  }
  const now = request.now ?? new Date();
  const monday = digestWeek(project.timezone, now, request.week);
  const sunday = shiftDate(monday, 6);
  const [report, marks] = await Promise.all([
    buildReport(store, config, { project: project.slug, from: monday, to: sunday, now }),
    projectAnnotations(store, config, { project: project.slug, from: shiftDate(monday, -7 * (TREND_WEEKS - 1)), to: sunday }),
  ]);
  const all = report.kpis.map((entry) => digestRow(entryView(entry)));
  const offTrack = offTrackOf(all, shiftDate(sunday, 1));
  // The charts: the two of every email, and each KPI whose project target is off track, its forecast drawn.
  const charted = catalog.filter((kpi) => (TREND_KPIS as readonly string[]).includes(kpi.id) || offTrack.some(({ row }) => row.id === kpi.id && row.dimension === null));
  const trend = await weeklyTrends(store, config, { project: project.slug, weeks: TREND_WEEKS, until: shiftDate(monday, 7), kpis: charted.map((kpi) => kpi.id), now });
  const rows = all.filter((row) => row.dimension === null);
  const { best, worst } = movers(rows);
  const summary: Omit<WeeklySummary, "subject"> = {
    project: { slug: project.slug, name: project.name, timezone: project.timezone },
    week: reportWindow(monday, sunday, project.timezone),
    rows,
    judged: all.filter((row) => row.target && row.value !== null).length,
    missed: all.filter((row) => row.status === "missed"),
    atRisk: all.filter((row) => row.status === "at_risk"),
    offTrack,
    best,
    worst,
    trendWeeks: trend.weeks.map((week) => week.from),
    trends: trend.series.map((series) => ({
      id: series.id,
      title: kpiById(series.id).title,
      unit: series.unit,
      values: series.values,
      forecast: offTrack.find(({ row }) => row.id === series.id && row.dimension === null)?.row.forecast ?? null,
    })),
    annotations: marks.annotations,
    noData: all.every((row) => row.sampleSize === 0 || MEASURES_ABSENCE.has(row.id)),
    connect: connectHints(config, project),
  };
  return { ...summary, subject: subjectLine(summary) };
}

function digestRow(entry: EntryView): DigestRow {
  return {
    id: entry.id,
    title: entry.title,
    dimension: entry.dimension,
    unit: entry.unit,
    direction: entry.direction,
    value: entry.value,
    previous: entry.previous,
    change: relativeChange(entry.value, entry.previous),
    target: entry.target,
    status: entry.status,
    band: entry.band,
    sampleSize: entry.sample_size,
    forecast: entry.forecast,
  };
}

/** The rows whose forecast is off track, soonest due date first; `today` is the day after the week. */
function offTrackOf(rows: DigestRow[], today: string): OffTrack[] {
  return rows
    .filter((row) => row.forecast?.status === "off_track" && row.target)
    .sort((a, b) => a.forecast!.due.localeCompare(b.forecast!.due))
    .map((row) => ({ row, words: forecastWords(row.forecast!, row.target!, row.unit, today) }));
}

/**
 * The best and worst movers among the project entries: the largest change in percent that went
 * the KPI's good way, and the largest that went its bad way (a lead time going up is bad).
 */
export function movers(rows: DigestRow[]): { best: Mover | null; worst: Mover | null } {
  let best: Mover | null = null;
  let worst: Mover | null = null;
  for (const row of rows) {
    // A row without a direction (model quality's project line) has no value, so no change either.
    if (row.change === null || row.direction === null || Math.round(row.change) === 0) continue;
    const improved = (row.change > 0) === (row.direction === "higher");
    const mover = { row, change: row.change };
    if (improved && (!best || Math.abs(row.change) > Math.abs(best.change))) best = mover;
    if (!improved && (!worst || Math.abs(row.change) > Math.abs(worst.change))) worst = mover;
  }
  return { best, worst };
}

/**
 * The most important thing first: how many targets were missed (of those judged), then the
 * biggest move the bad way (else the good way) when it is at least NOTABLE_CHANGE_PERCENT.
 * "Fraud detection: 3 of 12 KPIs missed — deployment frequency down 40%".
 */
export function subjectLine(summary: Pick<WeeklySummary, "project" | "judged" | "missed" | "atRisk" | "best" | "worst" | "noData">): string {
  const name = summary.project.name;
  if (summary.noData) return `${name}: no data last week — connect a source to get your weekly summary`;
  const facts: string[] = [];
  if (summary.judged === 0) facts.push("no targets set");
  else if (summary.missed.length) facts.push(`${summary.missed.length} of ${summary.judged} KPIs missed`);
  else if (summary.atRisk.length) facts.push(`${summary.atRisk.length} of ${summary.judged} KPIs at risk`);
  else facts.push(`all ${summary.judged} KPIs on target`);
  const notable = [summary.worst, summary.best].find((mover) => mover && Math.abs(mover.change) >= NOTABLE_CHANGE_PERCENT);
  if (notable) facts.push(`${notable.row.title.toLowerCase()} ${rowChangeWords(notable.row)}`);
  return `${name}: ${facts.join(" — ")}`;
}

/** Which sources and project settings give which KPIs (docs/metrics.md), for a week without data. */
export function connectHints(config: Config, project: ProjectConfig): ConnectHint[] {
  const deployLogs = Boolean(config.sources.deploy_logs);
  const github = Boolean(config.sources.github && project.github?.repos.length);
  const jira = Boolean(config.sources.jira && project.jira?.projects.length);
  return [
    {
      what: "deployments: the deployment log (sources.deploy_logs, the project's services) or GitHub Deployments (github.repos)",
      gives: ["Deployment frequency", "Change failure rate", "Time to restore"],
      configured: deployLogs || github,
    },
    { what: "GitHub repositories (sources.github and the project's github.repos)", gives: ["Lead time for changes", "Rework rate", "Releases"], configured: github },
    {
      what: "issues: Jira projects (sources.jira and the project's jira.projects) or GitHub issues",
      gives: ["Bug fixes", "Features shipped", "Mean time to resolution", "Data-quality issues", "Data access time"],
      configured: jira || github,
    },
    {
      what: "model records in the deployment log (kind: model deployments, model_metric, model_sla) and the project's models",
      gives: ["Model iterations shipped", "Model quality", "Model SLA compliance"],
      configured: deployLogs && project.models.length > 0,
    },
    {
      what: "data_refresh records in the deployment log and the project's datasets",
      gives: ["Data refresh frequency", "Data freshness lag"],
      configured: deployLogs && project.datasets.length > 0,
    },
  ];
}

/** The annotations of the summary's own week (Monday to Sunday): the email lists them. */
export function weekAnnotations(summary: Pick<WeeklySummary, "week" | "annotations">): Annotation[] {
  return summary.annotations.filter((a) => a.at >= summary.week.from && a.at <= summary.week.to);
}
