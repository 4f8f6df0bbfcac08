/**
 * The trends' one-pass series must equal each week's own `compute`, for every KPI that has a
 * series: same values, sample sizes and dimensions, at week edges, across a DST change, over
 * duplicates and empty weeks.
 */
import { expect, it } from "vitest";
import { projectOf } from "@/lib/config/projects";
import { catalog } from "@/lib/kpis/catalog";
import { completeWeeks } from "@/lib/time/weeks";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";
import { insertIncidents, insertReleases, insertWorkItems } from "@/test/support/records";

const config = testConfig();
// The weeks are the project's weeks; here the project is in Berlin, for its DST change.
const project = { ...projectOf(config, "fraud"), timezone: "Europe/Berlin" };
const now = new Date("2100-01-01T00:00:00Z");
// Mondays 2026-03-16 .. 2026-04-06 in Berlin; the week of 23 March ends on the 23-hour Sunday of 29 March (CET → CEST).
const weeks = completeWeeks("Europe/Berlin", 4, "2026-04-13");
const seriesKpis = catalog.filter((kpi) => kpi.series);

describeEachDriver("trend series", (store) => {
  it("covers the KPIs placed by one timestamp", () => {
    expect(weeks.map((week) => [week.from, week.start, week.end])).toEqual([
      ["2026-03-16", "2026-03-15T23:00:00.000Z", "2026-03-22T23:00:00.000Z"],
      ["2026-03-23", "2026-03-22T23:00:00.000Z", "2026-03-29T22:00:00.000Z"],
      ["2026-03-30", "2026-03-29T22:00:00.000Z", "2026-04-05T22:00:00.000Z"],
      ["2026-04-06", "2026-04-05T22:00:00.000Z", "2026-04-12T22:00:00.000Z"],
    ]);
    expect(seriesKpis.map((kpi) => kpi.id).sort()).toEqual(["bug_fixes", "data_access_time", "features_shipped", "mttr", "releases", "time_to_restore"]);
  });

  it("equals each week's compute at week edges, across DST, with duplicates and an empty week", async () => {
    await insertReleases(store(), [
      { repo: "acme/fraud-api", tag: "before", publishedAt: "2026-03-15T22:59:59Z" }, // Sunday 23:59:59 before the first week: out
      { repo: "acme/fraud-api", tag: "first", publishedAt: "2026-03-15T23:00:00Z" }, // Monday 00:00 CET: week 1
      { repo: "acme/fraud-model", tag: "same", publishedAt: "2026-03-15T23:00:00Z" }, // same instant, another repo: week 1
      { repo: "acme/fraud-api", tag: "cet", publishedAt: "2026-03-29T21:59:59Z" }, // Sunday 23:59:59 CEST: week 2
      { repo: "acme/fraud-api", tag: "cest", publishedAt: "2026-03-29T22:00:00Z" }, // Monday 00:00 CEST: week 3
      { repo: "acme/fraud-api", tag: "last", publishedAt: "2026-04-12T21:59:59Z" }, // last instant of week 4
      { repo: "acme/fraud-api", tag: "after", publishedAt: "2026-04-12T22:00:00Z" }, // out
    ]);
    await insertWorkItems(store(), [
      { source: "jira", container: "FRD", key: "FRD-1", issueType: "Bug", resolvedAt: "2026-03-22T22:59:59Z" }, // week 1
      { source: "jira", container: "FRD", key: "FRD-2", issueType: "Bug", resolvedAt: "2026-03-22T23:00:00Z" }, // week 2
      { source: "jira", container: "FRD", key: "FRD-3", issueType: "Bug", resolvedAt: "2026-03-22T23:00:00Z", resolution: "Won't Do" },
      { source: "jira", container: "FRD", key: "FRD-4", issueType: "Story", resolvedAt: "2026-03-29T22:00:00Z" }, // week 3
      { source: "github", container: "acme/fraud-api", key: "7", labels: ["feature", "enhancement"], resolvedAt: "2026-03-29T22:00:00Z" }, // week 3, once
    ]);
    await insertIncidents(store(), [
      // Week 1, one value: resolved at Monday 00:00 CET after 1 h.
      { externalId: "i1", project: "fraud", startedAt: "2026-03-15T22:00:00Z", resolvedAt: "2026-03-15T23:00:00Z" },
      // Week 2, two values (2 h, 5 h) at its last instant, Sunday 23:59:59 CEST: median 3.5.
      { externalId: "i2", project: "fraud", startedAt: "2026-03-29T19:59:59Z", resolvedAt: "2026-03-29T21:59:59Z" },
      { externalId: "i3", project: "fraud", startedAt: "2026-03-29T16:59:59Z", resolvedAt: "2026-03-29T21:59:59Z" },
      // Week 3: a duplicate pair (1 h each, same instant) and 4 h: median 1, mean 2.
      { externalId: "i4", project: "fraud", startedAt: "2026-03-29T21:00:00Z", resolvedAt: "2026-03-29T22:00:00Z" },
      { externalId: "i5", project: "fraud", startedAt: "2026-03-29T21:00:00Z", resolvedAt: "2026-03-29T22:00:00Z" },
      { externalId: "i6", project: "fraud", startedAt: "2026-03-30T00:00:00Z", resolvedAt: "2026-03-30T04:00:00Z" },
      // Week 4: none (null, not 0). Resolved after the last week: out.
      { externalId: "i7", project: "fraud", startedAt: "2026-04-12T21:00:00Z", resolvedAt: "2026-04-12T22:00:00Z" },
    ]);
    await insertWorkItems(store(), [
      { source: "jira", container: "FRD", key: "FRD-10", issueType: "Access Request", createdAt: "2026-03-16T00:00:00Z", resolvedAt: "2026-03-16T10:00:00Z" },
    ]);
    const expected = {
      releases: [2, 1, 1, 1],
      bug_fixes: [1, 1, 0, 0],
      features_shipped: [0, 0, 2, 0],
      time_to_restore: [1, 3.5, 1, null],
      mttr: [1, 3.5, 2, null],
      data_access_time: [10, null, null, null],
    };
    for (const kpi of seriesKpis) {
      const perWeek = await Promise.all(weeks.map((window) => kpi.compute(store(), { project, config, window, now })));
      const series = await kpi.series!(store(), { project, config, now }, weeks);
      expect(series, kpi.id).toEqual(perWeek);
      expect(series.map(([entry]) => entry!.value), kpi.id).toEqual(expected[kpi.id as keyof typeof expected]);
      expect(series.every((entries) => entries.length === 1 && entries[0]!.dimension === null), kpi.id).toBe(true);
    }
  });

  it("is what each week's compute is over an empty history: 0 for counts, null for the others", async () => {
    for (const kpi of seriesKpis) {
      const empty = kpi.unit === "count" ? 0 : null;
      expect(await kpi.series!(store(), { project, config, now }, weeks), kpi.id).toEqual(weeks.map(() => [{ dimension: null, value: empty, sampleSize: 0 }]));
    }
  });
});
