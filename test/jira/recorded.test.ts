/**
 * A Jira Cloud search answer shaped like a real one, whose issues hold U+0000 and a lone
 * surrogate (issue 14: a real summary ending in U+0000 made the database refuse the whole page
 * and stopped the Jira source). Every issue is stored, cleaned, counted and reported.
 */
import { asc, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Store } from "@/db/client";
import { workItems, workItemTransitions } from "@/db/schema";
import type { Config } from "@/lib/config/load";
import { buildReport } from "@/lib/report/build";
import { jiraSource } from "@/connectors/jira/source";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import { describeEachDriver } from "@/test/support/db";
import { FakeJira } from "@/test/support/jira-server";
import { jiraConfig, recordedSearchPage, seedRecorded } from "./fixtures";

let jira: FakeJira;
beforeEach(async () => {
  jira = await new FakeJira().start();
  seedRecorded(jira);
  // The whole recorded page in one answer, as Cloud sent it.
  jira.pageSize = 50;
});
afterEach(() => jira.close());

const sync = (store: Store, config: Config) =>
  runSync("jira", sourceSync("jira", jiraSource({ backoffMs: 5, retries: 0 })), { config, store, trigger: "manual", log: () => {} });

describeEachDriver("a real-shaped Jira page with U+0000", (store) => {
  it("stores every issue and transition, without the characters the database refuses", async () => {
    expect(JSON.stringify(recordedSearchPage)).toContain("\\u0000");
    const config = jiraConfig(jira.url, { keys: ["OPS"] });
    const result = await sync(store(), config);
    expect(result).toMatchObject({ status: "succeeded", errors: [], records: { "OPS:issues": 4, "OPS:transitions": 8 } });

    const items = await store()
      .db.select({ key: workItems.key, title: workItems.title, labels: workItems.labels, resolution: workItems.resolution, summary: sql<string>`${workItems.raw}->'fields'->>'summary'` })
      .from(workItems)
      .orderBy(asc(workItems.key));
    expect(items).toEqual([
      { key: "OPS-31", title: "Checkout answers 502 after the 14:00 deploy", labels: ["checkout", "sev2"], resolution: "Done", summary: "Checkout answers 502 after the 14:00 deploy" },
      { key: "OPS-32", title: "Export fails for names with emoji ", labels: [], resolution: null, summary: "Export fails for names with emoji " },
      { key: "OPS-33", title: "Read access to the transactions warehouse for the fraud team", labels: ["data-access"], resolution: "Done", summary: "Read access to the transactions warehouse for the fraud team" },
      { key: "OPS-34", title: "Runbook for the payments failover", labels: ["runbook"], resolution: "Done", summary: "Runbook for the payments failover" },
    ]);
    const resolutions = await store()
      .db.select({ to: workItemTransitions.toValue, raw: sql<string>`${workItemTransitions.raw}->'items'->0->>'toString'` })
      .from(workItemTransitions)
      .where(eq(workItemTransitions.itemExternalId, "10233"))
      .orderBy(asc(workItemTransitions.externalId));
    expect(resolutions).toEqual([
      { to: "Done", raw: "Done" },
      { to: "Done", raw: "Done" },
    ]);

    // Synced again, nothing changes: what is compared is what was stored.
    const again = await sync(store(), config);
    expect(again).toMatchObject({ status: "succeeded", errors: [] });
    expect(again.records["OPS:issues"] ?? 0).toBe(0);

    const report = await buildReport(store(), config, { project: "ops", from: "2026-11-01", to: "2026-11-30", tz: "UTC", now: new Date("2026-12-01T00:00:00Z") });
    const value = (id: string) => report.kpis.find((kpi) => kpi.id === id && kpi.dimension === null)?.value;
    // OPS-31: created 14:25:03.771, resolved 16:40:12.114 → 8108.343 s.
    expect(value("time_to_restore")).toBeCloseTo(8108.343 / 3600, 9);
    // OPS-33: 24 hours from request to access; OPS-34, a story, done.
    expect(value("data_access_time")).toBe(24);
    expect(value("features_shipped")).toBe(1);
  });
});
