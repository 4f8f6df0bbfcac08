/**
 * "A target shows at once" (kpis.md, "Targets and status"): a window that ended before a KPI's
 * first target was set is judged against that first target; a later change does not rewrite
 * windows that ended before it. Through every reader of statuses: the report (and so the
 * pages, which show it), the weekly email's summary and the trends' target line.
 */
import { expect, it } from "vitest";
import { weeklySummary } from "@/lib/digest/summary";
import { buildReport } from "@/lib/report/build";
import { cachedReport } from "@/lib/report/cache";
import { weeklyTrends } from "@/lib/report/trends";
import { setTarget } from "@/lib/targets/store";
import { describeEachDriver } from "@/test/support/db";
import { deployment, insertDeployments } from "@/test/support/records";
import { testConfig } from "@/test/support/config";

const config = testConfig();
/** Today, mid-afternoon; the default window is 20 Feb – 19 Mar (28 days ending yesterday). */
const NOW = new Date("2026-03-20T15:00:00Z");
const entry = (report: Awaited<ReturnType<typeof buildReport>>, id: string, dimension: string | null = null) =>
  report.kpis.find((kpi) => kpi.id === id && kpi.dimension === dimension)!;

describeEachDriver("a target shows at once", (store) => {
  const set = (kpi: string, value: number, at: Date, dimension?: string) => setTarget(store(), config, { project: "fraud", kpi, value, dimension, setBy: "po" }, at);

  /** One deployment every other day from 20 Feb to 19 Mar: 14 in 28 days, 0.5 a day. */
  async function everyOtherDay() {
    const days = Array.from({ length: 14 }, (_, index) => new Date(Date.UTC(2026, 1, 20 + 2 * index, 12)).toISOString());
    await insertDeployments(store(), days.map((at, index) => deployment(`d${index}`, at)));
  }

  it("a target set today judges the last 28 days, on the report and the cached report the overview reads", async () => {
    await everyOtherDay();
    const before = await cachedReport(store(), config, { project: "fraud", from: "2026-02-20", to: "2026-03-19", now: NOW });
    expect(entry(before, "deployment_frequency")).toMatchObject({ value: 0.5, target: null, status: "no_target" });
    await set("deployment_frequency", 1, NOW);
    // The default window (no dates) ended yesterday, before the target was set: judged against it.
    const report = await buildReport(store(), config, { project: "fraud", now: NOW });
    expect([report.from, report.to]).toEqual(["2026-02-20", "2026-03-19"]);
    expect(entry(report, "deployment_frequency")).toMatchObject({ value: 0.5, target: { value: 1, warn: 0.1 }, status: "missed" });
    // The cache does not keep the status of before the target: setting it was a write.
    const after = await cachedReport(store(), config, { project: "fraud", from: "2026-02-20", to: "2026-03-19", now: NOW });
    expect(entry(after, "deployment_frequency")).toMatchObject({ status: "missed" });
  });

  it("a target changed today leaves the windows that ended before the change as they were", async () => {
    await everyOtherDay();
    await set("deployment_frequency", 0.4, new Date("2026-01-10T09:00:00Z"));
    await set("deployment_frequency", 1, NOW);
    const last28 = await buildReport(store(), config, { project: "fraud", now: NOW });
    expect(entry(last28, "deployment_frequency")).toMatchObject({ value: 0.5, target: { value: 0.4, warn: 0.04 }, status: "met" });
    // A window that ends today ends after the change: the new target.
    const toToday = await buildReport(store(), config, { project: "fraud", from: "2026-02-21", to: "2026-03-20", now: NOW });
    expect(entry(toToday, "deployment_frequency")).toMatchObject({ target: { value: 1, warn: 0.1 }, status: "missed" });
    // A window long before the first target: judged against the first (0.4), not today's.
    const december = await buildReport(store(), config, { project: "fraud", from: "2025-12-01", to: "2025-12-31", now: NOW });
    expect(entry(december, "deployment_frequency")).toMatchObject({ value: 0, target: { value: 0.4, warn: 0.04 }, status: "missed" });
  });

  it("takes each dimension's first target: a dataset's target set today judges its last 28 days", async () => {
    await set("data_freshness_lag", 48, new Date("2026-01-10T09:00:00Z"));
    await set("data_freshness_lag", 12, NOW, "transactions");
    const report = await buildReport(store(), config, { project: "fraud", now: NOW });
    // No refresh at all: each dataset's lag is the whole window, 28 × 24 h.
    expect(entry(report, "data_freshness_lag")).toMatchObject({ value: 672, target: { value: 48 }, status: "missed" });
    expect(entry(report, "data_freshness_lag", "transactions")).toMatchObject({ value: 672, target: { value: 12, warn: 1.2 }, status: "missed" });
    expect(entry(report, "data_freshness_lag", "chargebacks")).toMatchObject({ target: null, status: "no_target" });
  });

  it("the weekly email judges last week against a first target set this morning, not against a later change", async () => {
    await everyOtherDay();
    // Monday 23 March, 07:00: the first target; the email for 16–22 March goes out at 08:00.
    await set("deployment_frequency", 1, new Date("2026-03-23T07:00:00Z"));
    const monday = new Date("2026-03-23T08:00:00Z");
    const summary = await weeklySummary(store(), config, { project: "fraud", now: monday });
    const frequency = summary.rows.find((row) => row.id === "deployment_frequency")!;
    expect(frequency).toMatchObject({ target: { value: 1, warn: 0.1 }, status: "missed" });
    expect(summary.judged).toBeGreaterThan(0);
    // Changed at 09:00: the email of that week, built again, still says what it said.
    await set("deployment_frequency", 0.3, new Date("2026-03-23T09:00:00Z"));
    const again = await weeklySummary(store(), config, { project: "fraud", now: new Date("2026-03-23T10:00:00Z") });
    expect(again.rows.find((row) => row.id === "deployment_frequency")).toMatchObject({ target: { value: 1 }, status: "missed" });
  });

  it("draws the trend's target line at the first target for the weeks before it, and steps at each later change", async () => {
    await set("deployment_frequency", 0.4, new Date("2026-03-04T12:00:00Z"));
    await set("deployment_frequency", 1, new Date("2026-03-11T12:00:00Z"));
    // Four weeks: 16–22 Feb, 23 Feb–1 Mar, 2–8 Mar, 9–15 Mar.
    const trend = await weeklyTrends(store(), config, { project: "fraud", weeks: 4, until: "2026-03-16", kpis: ["deployment_frequency"], now: NOW });
    expect(trend.weeks.map((week) => week.from)).toEqual(["2026-02-16", "2026-02-23", "2026-03-02", "2026-03-09"]);
    expect(trend.series[0]!.targets).toEqual([0.4, 0.4, 0.4, 1]);
  });
});
