/**
 * The demo's notes on the charts (annotations), so a first look shows why a line moved: a
 * platform move, a process change, an incident review. Dated from the demo's last day, so they
 * stay inside the charts' 26 weeks whenever the demo is made.
 */
import { eq } from "drizzle-orm";
import type { Store } from "@/db/client";
import { annotations } from "@/db/schema";
import { shiftDate } from "@/lib/time/window";

/** Who wrote the demo's notes: regenerating the demo replaces only these. */
export const DEMO_NOTE_AUTHOR = "demo";

export const DEMO_NOTES: { project: string; kpi: string | null; daysBeforeEnd: number; text: string }[] = [
  { project: "fraud-detection", kpi: null, daysBeforeEnd: 38, text: "moved to the new cluster" },
  { project: "fraud-detection", kpi: "lead_time_for_changes", daysBeforeEnd: 80, text: "review rota: two reviewers per pull request" },
  { project: "fraud-detection", kpi: "time_to_restore", daysBeforeEnd: 17, text: "new on-call runbook after the scoring outage" },
  { project: "churn-prediction", kpi: null, daysBeforeEnd: 52, text: "feature store switched to streaming ingestion" },
  { project: "search-ranking", kpi: "deployment_frequency", daysBeforeEnd: 24, text: "release freeze for the holiday sale" },
];

export async function writeDemoNotes(store: Store, lastDay: string): Promise<void> {
  const rows = DEMO_NOTES.map(({ project, kpi, daysBeforeEnd, text }) => ({ project, kpi: kpi ?? "", at: shiftDate(lastDay, -daysBeforeEnd), text, createdBy: DEMO_NOTE_AUTHOR }));
  await store.db.transaction(async (tx) => {
    await tx.delete(annotations).where(eq(annotations.createdBy, DEMO_NOTE_AUTHOR));
    await tx.insert(annotations).values(rows).onConflictDoNothing();
  });
}
