/**
 * What an annotation is, and which charts it marks — no database code, so the charts (client
 * components) import it too. A note or a target change names its KPI (or none: every chart);
 * a release marks the delivery and code charts, a model version the model charts: a weekly
 * retrain is no reason to mark every week of a lead-time chart.
 */
import { findKpiIdentity } from "@/lib/kpis/ids";
import type { Pillar } from "@/lib/kpis/kpi";

/** note: written by a person; target, release, model: marked from the stored records. */
export const annotationKinds = ["note", "target", "release", "model"] as const;
export type AnnotationKind = (typeof annotationKinds)[number];

/** One mark on a project's time axis, as the API answers it and the charts draw it. */
export interface Annotation {
  kind: AnnotationKind;
  /** The calendar day, YYYY-MM-DD in the project's zone. */
  at: string;
  /** What the marker says: "Release v1.10.0", "Target set: 3/day", "fraud-xgb v12 in production", a note's own text. */
  text: string;
  project: string;
  /** The KPI it is about (its chart is marked); null: the project as a whole (`marksChart` says which charts). */
  kpi: string | null;
  /** A note's id, who added it and when; null for the marks read from other records. */
  id: number | null;
  created_by: string | null;
  created_at: string | null;
  /** Where to read more (a release's page); null when there is nothing to link. */
  url: string | null;
}

/** The pillars whose charts an event of the project as a whole marks; a kind not listed marks every chart. */
const PILLARS_MARKED: Partial<Record<AnnotationKind, readonly Pillar[]>> = { release: ["delivery", "code"], model: ["model"] };

/** Whether `annotation` is drawn on the weekly chart of `kpi`. */
export function marksChart(annotation: Pick<Annotation, "kind" | "kpi">, kpi: string): boolean {
  if (annotation.kpi !== null) return annotation.kpi === kpi;
  const pillars = PILLARS_MARKED[annotation.kind];
  if (!pillars) return true;
  const pillar = findKpiIdentity(kpi)?.pillar;
  return pillar !== undefined && pillars.includes(pillar);
}
