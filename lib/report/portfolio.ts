/**
 * The portfolio at a glance (the overview's summary table): one row per project with its
 * counts of targets by status, its four DORA bands and the KPIs whose weekly sparklines it
 * shows (the project's `headline`, weekly series from the trends route), and the group filter
 * over the configured projects.
 */
import type { ProjectConfig } from "@/lib/config/load";
import { bandedKpis, type BandedKpi } from "@/lib/kpis/dora/bands";
import type { Band } from "@/lib/kpis/kpi";
import type { ReportEntry } from "./build";

/**
 * What the table counts, in column order: each a test of one report entry (a project entry or
 * a per-model / per-dataset one) that has a target. One more count is one more line here.
 */
const counters = {
  met: (entry: ReportEntry) => entry.status === "met",
  at_risk: (entry: ReportEntry) => entry.status === "at_risk",
  missed: (entry: ReportEntry) => entry.status === "missed",
  // Whatever the status today: the forecast says the due date will be missed (a met target can drift off track).
  off_track: (entry: ReportEntry) => entry.forecast?.status === "off_track",
} satisfies Record<string, (entry: ReportEntry) => boolean>;

export type TargetCount = keyof typeof counters;
export const targetCountNames = Object.keys(counters) as TargetCount[];
export type TargetCounts = Record<TargetCount, number>;

/** How many of the entries' targets each count holds (entries without a target count nowhere). */
export function targetCounts(entries: readonly ReportEntry[]): TargetCounts {
  const withTarget = entries.filter((entry) => entry.target !== null);
  return Object.fromEntries(targetCountNames.map((name) => [name, withTarget.filter(counters[name]).length])) as TargetCounts;
}

export interface DoraBandCell {
  id: BandedKpi;
  value: number | null;
  band: Band | null;
}

/** The project entries of the four banded DORA KPIs, in catalog order: their value and band (null without data). */
export function doraBands(entries: readonly ReportEntry[]): DoraBandCell[] {
  return bandedKpis.map((id) => {
    const entry = entries.find((e) => e.id === id && e.dimension === null);
    return { id, value: entry?.value ?? null, band: entry?.band ?? null };
  });
}

export interface GroupChoice {
  /** Every group a project names, in first-named order. */
  groups: string[];
  /** The chosen group; null for every project. */
  group: string | null;
  /** The projects the overview shows. */
  projects: ProjectConfig[];
  /** A group no project is in: one line, and every project is shown. */
  error: string | null;
}

/** The projects of `?group=`: a group no project names shows every project, and says so. */
export function chooseGroup(projects: readonly ProjectConfig[], group: string | undefined): GroupChoice {
  const groups = [...new Set(projects.flatMap((project) => (project.group === undefined ? [] : [project.group])))];
  if (group === undefined || group === "") return { groups, group: null, projects: [...projects], error: null };
  if (!groups.includes(group)) {
    const known = groups.length ? `: one of ${groups.join(", ")}` : ": no project has a group";
    return { groups, group: null, projects: [...projects], error: `No project is in the group "${group}"${known}. Showing every project.` };
  }
  return { groups, group, projects: projects.filter((project) => project.group === group), error: null };
}

/** A quarter of weeks: enough to see a direction, and a fraction of the project page's 26 weeks of every KPI. */
export const SPARKLINE_WEEKS = 12;

/**
 * Where the overview loads a project's sparklines from, after the page: the trends route (and its
 * cache) for only the headline KPIs, SPARKLINE_WEEKS complete weeks.
 */
export function headlineTrendsUrl(project: Pick<ProjectConfig, "slug" | "headline">): string {
  return `/api/projects/${project.slug}/trends?weeks=${SPARKLINE_WEEKS}&kpis=${project.headline.join(",")}`;
}
