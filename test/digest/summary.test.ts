/**
 * What the weekly email says: the subject line's most important fact, computed by hand for
 * several weeks; the best and worst movers by each KPI's direction; and a DST week in New York
 * whose numbers and window come from the report engine.
 */
import { expect, it } from "vitest";
import { rowChangeWords } from "@/lib/digest/format";
import { moverWords } from "@/lib/digest/template";
import { movers, subjectLine, weeklySummary, type DigestRow, type Mover } from "@/lib/digest/summary";
import { kpiIds, type KpiId } from "@/lib/kpis/ids";
import { buildReport } from "@/lib/report/build";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";
import { deployment, insertDeployments } from "@/test/support/records";

const config = testConfig();

function row(id: KpiId, title: string, direction: "higher" | "lower", change: number | null): DigestRow {
  return { id, title, dimension: null, unit: "count", direction, value: 1, previous: 1, change, target: null, status: "no_target", band: null, sampleSize: 1, forecast: null };
}
const mover = (r: DigestRow): Mover => ({ row: r, change: r.change! });
const project = { slug: "fraud", name: "Fraud detection", timezone: "UTC" };
const missed = (count: number) => Array.from({ length: count }, (_, i) => row(kpiIds[i]!, `K${i}`, "higher", null));

it("says the most important thing first in the subject line", () => {
  const frequency = row("deployment_frequency", "Deployment frequency", "higher", -40.4);
  const leadTime = row("lead_time_for_changes", "Lead time for changes", "lower", -25);
  const cfr = row("change_failure_rate", "Change failure rate", "lower", 12.4);
  const small = row("releases", "Releases", "higher", -5);
  const base = { project, noData: false, judged: 12, missed: missed(3), atRisk: [], best: mover(leadTime), worst: mover(frequency) };
  expect(subjectLine(base)).toBe("Fraud detection: 3 of 12 KPIs missed — deployment frequency down 40%");
  // The worst move is too small to mention (under 10 %): the best one is named instead.
  expect(subjectLine({ ...base, judged: 5, missed: [], atRisk: missed(2), worst: mover(small) })).toBe("Fraud detection: 2 of 5 KPIs at risk — lead time for changes down 25%");
  expect(subjectLine({ ...base, judged: 4, missed: [], best: null, worst: null })).toBe("Fraud detection: all 4 KPIs on target");
  expect(subjectLine({ ...base, judged: 0, missed: [], best: null, worst: mover(cfr) })).toBe("Fraud detection: no targets set — change failure rate up 12%");
  expect(subjectLine({ ...base, noData: true })).toBe("Fraud detection: no data last week — connect a source to get your weekly summary");
});

it("words a percentage's change in points, as the pages do; other changes relative", () => {
  const percent = (previous: number | null, value: number | null): DigestRow => ({
    ...row("rework_rate", "Rework rate", "lower", null),
    unit: "percent",
    previous,
    value,
    change: previous ? ((value! - previous) / previous) * 100 : null,
  });
  expect(moverWords(mover(percent(5.3, 0)))).toBe("Rework rate down 5.3 pts (5.3 % → 0 %)");
  expect(moverWords(mover(percent(5.9, 18.5)))).toBe("Rework rate up 12.6 pts (5.9 % → 18.5 %)");
  // From zero a percentage still has a change in points; a count from zero has none.
  expect(rowChangeWords(percent(0, 4))).toBe("up 4 pts");
  expect(rowChangeWords(percent(4, 4.02))).toBe("unchanged");
  expect(rowChangeWords(percent(null, 4))).toBeNull();
  expect(rowChangeWords(row("releases", "Releases", "higher", null))).toBeNull();
  expect(rowChangeWords(row("releases", "Releases", "higher", 215.3))).toBe("up 215%");
  const cfr = { ...percent(10, 20), id: "change_failure_rate" as const, title: "Change failure rate" };
  expect(subjectLine({ project, noData: false, judged: 2, missed: [], atRisk: [], best: null, worst: mover(cfr) })).toBe("Fraud detection: all 2 KPIs on target — change failure rate up 10 pts");
});

it("picks the best and worst movers by each KPI's direction", () => {
  const frequency = row("deployment_frequency", "Deployment frequency", "higher", -40);
  const leadTimeUp = row("lead_time_for_changes", "Lead time for changes", "lower", 30);
  const cfrDown = row("change_failure_rate", "Change failure rate", "lower", -50);
  const releasesUp = row("releases", "Releases", "higher", 20);
  const flat = row("bug_fixes", "Bug fixes", "higher", 0.4);
  const none = row("mttr", "Mean time to resolution", "lower", null);
  const { best, worst } = movers([frequency, leadTimeUp, cfrDown, releasesUp, flat, none]);
  expect(best?.row.id).toBe("change_failure_rate");
  expect(worst?.row.id).toBe("deployment_frequency");
  expect(movers([flat, none])).toEqual({ best: null, worst: null });
});

describeEachDriver("weeklySummary", (store) => {
  it("summarises a DST week in the project's zone with the report engine's numbers", async () => {
    // New York leaves summer time on Sunday 2026-11-01: the week of Monday 2026-10-26 runs from
    // 04:00 UTC (EDT midnight) to 05:00 UTC on 2026-11-02 (EST midnight), 169 hours.
    const churn = (id: string, at: string) => deployment(id, at, { service: "churn-api" });
    await insertDeployments(store(), [
      churn("prev", "2026-10-26T03:30:00Z"), // Sunday 25th 23:30 EDT: the week before
      churn("first", "2026-10-26T04:30:00Z"), // Monday 00:30 EDT
      churn("last", "2026-11-02T04:30:00Z"), // Sunday 1st 23:30 EST
      churn("next", "2026-11-02T05:30:00Z"), // Monday 2nd 00:30 EST: the week after
    ]);
    const summary = await weeklySummary(store(), config, { project: "churn", week: "2026-11-01" });
    expect(summary.week).toMatchObject({ from: "2026-10-26", to: "2026-11-01", days: 7, start: "2026-10-26T04:00:00.000Z", end: "2026-11-02T05:00:00.000Z" });
    const frequency = summary.rows.find((r) => r.id === "deployment_frequency")!;
    expect(frequency).toMatchObject({ value: 2 / 7, previous: 1 / 7, sampleSize: 2 });
    expect(frequency.change).toBeCloseTo(100, 9);
    const report = await buildReport(store(), config, { project: "churn", from: "2026-10-26", to: "2026-11-01" });
    expect(report.kpis.find((e) => e.id === "deployment_frequency")!.value).toBe(frequency.value);
    expect(summary.trendWeeks.slice(-2)).toEqual(["2026-10-19", "2026-10-26"]);
    expect(summary.trends[0]!.values.slice(-2)).toEqual([1 / 7, 2 / 7]);
    expect(summary.subject).toBe("Churn: no targets set — deployment frequency up 100%");
    expect(summary.noData).toBe(false);

    // Default week: the one before today's. Sunday 22:00 in New York is still the week of Oct 26, so last week is Oct 19.
    expect((await weeklySummary(store(), config, { project: "churn", now: new Date("2026-11-02T03:00:00Z") })).week.from).toBe("2026-10-19");
    expect((await weeklySummary(store(), config, { project: "churn", now: new Date("2026-11-02T06:00:00Z") })).week.from).toBe("2026-10-26");
  });
});
