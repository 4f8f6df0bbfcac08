/**
 * The demo organisation's targets, so a first look at the dashboard shows targets met, at risk
 * and missed rather than a wall of "no target". Set as of the demo's first day (a report is
 * judged by the target in force at its window's end), with one target tightened eight weeks
 * before the end so the charts show a target that changed.
 */
import { eq } from "drizzle-orm";
import type { Store } from "@/db/client";
import { targetChanges } from "@/db/schema";
import { shiftDate } from "@/lib/time/window";
import { demoConfig } from "./config";

/** Who set the demo's targets: regenerating the demo replaces only these. */
export const DEMO_TARGET_AUTHOR = "demo";

/** One set of targets for every demo project: their teams perform differently, so the statuses differ. */
const TARGETS: { kpi: string; value: number }[] = [
  { kpi: "deployment_frequency", value: 1 },
  { kpi: "lead_time_for_changes", value: 48 },
  { kpi: "change_failure_rate", value: 12 },
  { kpi: "time_to_restore", value: 8 },
  { kpi: "bug_fixes", value: 8 },
  { kpi: "mttr", value: 12 },
  { kpi: "model_sla_compliance", value: 75 },
  { kpi: "data_refresh_frequency", value: 1 },
  { kpi: "data_quality_issues", value: 6 },
];

/** Before it was tightened, the deployment frequency target was one every other day. */
const EARLIER_DEPLOYMENT_FREQUENCY = 0.5;
const TIGHTENED_DAYS_BEFORE_END = 56;

export async function writeDemoTargets(store: Store, firstDay: string, lastDay: string): Promise<void> {
  // A day before the first day, in UTC: already in force at local midnight in every zone.
  const since = `${shiftDate(firstDay, -1)}T00:00:00.000Z`;
  const tightened = `${shiftDate(lastDay, -TIGHTENED_DAYS_BEFORE_END)}T12:00:00.000Z`;
  const rows = demoConfig.projects.flatMap(({ slug }) => {
    const target = (kpi: string, value: number, setAt = since) => ({ project: slug, kpi, value, setAt, setBy: DEMO_TARGET_AUTHOR });
    return [
      ...TARGETS.map(({ kpi, value }) => target(kpi, kpi === "deployment_frequency" ? EARLIER_DEPLOYMENT_FREQUENCY : value)),
      target("deployment_frequency", TARGETS.find((t) => t.kpi === "deployment_frequency")!.value, tightened),
    ];
  });
  await store.db.transaction(async (tx) => {
    await tx.delete(targetChanges).where(eq(targetChanges.setBy, DEMO_TARGET_AUTHOR));
    await tx.insert(targetChanges).values(rows);
  });
}
