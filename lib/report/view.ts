/**
 * The report as pages and the weekly email read it. The report JSON is a contract
 * (interfaces.md) and carries ids, not words; a view entry adds the KPI's title and the
 * direction it is judged in, looked up once here instead of in every reader.
 */
import { kpiById } from "@/lib/kpis/catalog";
import type { KpiId } from "@/lib/kpis/ids";
import type { Direction } from "@/lib/kpis/kpi";
import type { ReportEntry } from "./build";

export interface EntryView extends ReportEntry {
  /** The KPI's short name ("Lead time for changes"). */
  title: string;
  /**
   * The direction the entry was judged in; null for model quality, whose metrics each have
   * their own direction (the report judged each in it, but does not carry it).
   */
  direction: Direction | null;
}

export function entryView(entry: ReportEntry): EntryView {
  const kpi = kpiById(entry.id);
  return { ...entry, title: kpi.title, direction: entry.id === "model_quality" ? null : kpi.direction };
}

/** One KPI's entries: the project entry and its per-dimension entries. */
export interface KpiGroup {
  id: KpiId;
  /** The project entry (dimension null). */
  entry: EntryView;
  dimensions: EntryView[];
  /**
   * The project entry has no value of its own and the dimensions carry the values (model
   * quality: one value per model metric): pages show the dimensions instead of a project figure.
   */
  perDimensionOnly: boolean;
}

/** Report entries grouped by KPI, in report order (kpis.md: the project entry first, then its dimensions). */
export function groupsByKpi(entries: ReportEntry[]): KpiGroup[] {
  const groups = new Map<KpiId, KpiGroup>();
  for (const view of entries.map(entryView)) {
    const group = groups.get(view.id);
    if (group) group.dimensions.push(view);
    else groups.set(view.id, { id: view.id, entry: view, dimensions: [], perDimensionOnly: false });
  }
  return [...groups.values()].map((group) => ({ ...group, perDimensionOnly: group.entry.value === null && group.dimensions.length > 0 }));
}
