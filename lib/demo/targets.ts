/**
 * The demo organisation's targets, so a first look at the dashboard shows targets met, at risk
 * and missed rather than a wall of "no target". Set as of the demo's first day (a report is
 * judged by the target in force at its window's end), with one target tightened eight weeks
 * before the end so the charts show a target that changed. Some have an owner and a due date
 * a few weeks after the demo's last day, so the pages show forecasts: on the demo's data some
 * are on track and some are not (docs/dashboard.md, "Forecasts").
 */
import { eq } from "drizzle-orm";
import type { Store } from "@/db/client";
import { targetChanges } from "@/db/schema";
import { shiftDate } from "@/lib/time/window";
import { DAYS_PER_WEEK } from "@/lib/time/units";
import { demoConfig } from "./config";

/** Who set the demo's targets: regenerating the demo replaces only these. */
export const DEMO_TARGET_AUTHOR = "demo";

/** Who owns a project's targets: its delivery lead, the ML platform team, the data team. */
type OwnerRole = "delivery" | "ml" | "data";
const OWNERS: Record<string, Record<OwnerRole, string>> = {
  "fraud-detection": { delivery: "Priya Raman", ml: "ml-platform@acme.example", data: "data-eng@acme.example" },
  "churn-prediction": { delivery: "Tom Becker", ml: "ml-platform@acme.example", data: "data-eng@acme.example" },
  "search-ranking": { delivery: "Lena Okafor", ml: "ml-platform@acme.example", data: "data-eng@acme.example" },
};

/**
 * One set of targets for every demo project: their teams perform differently, so the statuses
 * differ. `owner` names who owns it; `dueWeeks`, when it is due: that many weeks after the last day.
 */
const TARGETS: { kpi: string; value: number; owner?: OwnerRole; dueWeeks?: number }[] = [
  { kpi: "deployment_frequency", value: 1, owner: "delivery", dueWeeks: 8 },
  { kpi: "lead_time_for_changes", value: 48, owner: "delivery", dueWeeks: 12 },
  { kpi: "change_failure_rate", value: 12, owner: "delivery" },
  { kpi: "time_to_restore", value: 8 },
  { kpi: "bug_fixes", value: 8 },
  { kpi: "mttr", value: 12 },
  { kpi: "model_sla_compliance", value: 75, owner: "ml", dueWeeks: 6 },
  { kpi: "data_refresh_frequency", value: 1, owner: "data", dueWeeks: 4 },
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
    const target = ({ kpi, value, owner, dueWeeks }: (typeof TARGETS)[number], setAt = since) => ({
      project: slug,
      kpi,
      value,
      owner: owner ? OWNERS[slug]![owner] : null,
      due: dueWeeks === undefined ? null : shiftDate(lastDay, DAYS_PER_WEEK * dueWeeks),
      setAt,
      setBy: DEMO_TARGET_AUTHOR,
    });
    const frequency = TARGETS.find((t) => t.kpi === "deployment_frequency")!;
    return [
      // Deployment frequency starts at one every other day, without owner and due date; tightened, it gets both.
      ...TARGETS.map((t) => (t === frequency ? target({ kpi: t.kpi, value: EARLIER_DEPLOYMENT_FREQUENCY }) : target(t))),
      target(frequency, tightened),
    ];
  });
  await store.db.transaction(async (tx) => {
    await tx.delete(targetChanges).where(eq(targetChanges.setBy, DEMO_TARGET_AUTHOR));
    await tx.insert(targetChanges).values(rows);
  });
}
