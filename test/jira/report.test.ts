/**
 * The issue's "done when": a sync against a Jira-shaped server fills the store so that the
 * report gives the Jira-fed KPIs. Expected values are worked out by hand from the seed.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { buildReport } from "@/lib/report/build";
import { jiraSource } from "@/connectors/jira/source";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import { describeEachDriver } from "@/test/support/db";
import { FakeJira } from "@/test/support/jira-server";
import { jiraConfig, seed } from "./fixtures";

let jira: FakeJira;
beforeEach(async () => {
  jira = await new FakeJira().start();
  seed(jira);
});
afterEach(() => jira.close());

describeEachDriver("Jira data in the report", (store) => {
  it("gives bug fixes, features shipped, MTTR, time to restore, data-quality issues and data access time", async () => {
    // A story shipped, and the access request granted after 24 hours.
    jira.issues.push({ ...jira.issue("FRD-2"), id: "10008", key: "FRD-8", status: "Done", category: "done", resolution: "Done", resolved: "2026-11-10T12:00:00.000Z", updated: "2026-11-10T12:00:00.000Z", histories: [] });
    Object.assign(jira.issue("OPS-2"), { status: "Done", category: "done", resolution: "Done", resolved: "2026-11-17T09:00:00.000Z", updated: "2026-11-17T09:00:00.000Z" });
    const config = jiraConfig(jira.url);
    await runSync("jira", sourceSync("jira", jiraSource({ backoffMs: 5 })), { config, store: store(), trigger: "manual", log: () => {} });

    const report = await buildReport(store(), config, { project: "fraud", from: "2026-11-01", to: "2026-11-30", tz: "UTC", now: new Date("2026-12-01T00:00:00Z") });
    const value = (id: string) => report.kpis.find((kpi) => kpi.id === id && kpi.dimension === null)?.value;

    // FRD-1 (reopened, resolved again on 20 Nov) counts once; FRD-5 was resolved as Won't Do.
    expect(value("bug_fixes")).toBe(1);
    // FRD-8; FRD-2 is still in progress.
    expect(value("features_shipped")).toBe(1);
    // OPS-1: created 19 Nov 22:00, resolved 20 Nov 01:30.
    expect(value("mttr")).toBe(3.5);
    expect(value("time_to_restore")).toBe(3.5);
    // FRD-3, labelled data-quality, opened 18 Nov.
    expect(value("data_quality_issues")).toBe(1);
    // OPS-2: created 16 Nov 09:00, resolved 17 Nov 09:00.
    expect(value("data_access_time")).toBe(24);
  });
});
