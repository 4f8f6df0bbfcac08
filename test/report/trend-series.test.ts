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
import { commit, deployment, insertCommits, insertDeployments, insertIncidents, insertPullRequest, insertReleases, insertWorkItems } from "@/test/support/records";

const config = testConfig();
// The weeks are the project's weeks; here the project is in Berlin, for its DST change.
const project = { ...projectOf(config, "fraud"), timezone: "Europe/Berlin" };
const now = new Date("2100-01-01T00:00:00Z");
// Mondays 2026-03-16 .. 2026-04-06 in Berlin; the week of 23 March ends on the 23-hour Sunday of 29 March (CET → CEST).
const weeks = completeWeeks("Europe/Berlin", 4, "2026-04-13");
const seriesKpis = catalog.filter((kpi) => kpi.series);
// The delivery KPIs with a series have their own history below (deployments, shipped changes).
const deliveryIds = ["deployment_frequency", "lead_time_for_changes", "rework_rate"];
const placedByAtKpis = seriesKpis.filter((kpi) => !deliveryIds.includes(kpi.id));
const deliveryKpis = seriesKpis.filter((kpi) => deliveryIds.includes(kpi.id));

describeEachDriver("trend series", (store) => {
  it("covers the KPIs placed by one timestamp", () => {
    expect(weeks.map((week) => [week.from, week.start, week.end])).toEqual([
      ["2026-03-16", "2026-03-15T23:00:00.000Z", "2026-03-22T23:00:00.000Z"],
      ["2026-03-23", "2026-03-22T23:00:00.000Z", "2026-03-29T22:00:00.000Z"],
      ["2026-03-30", "2026-03-29T22:00:00.000Z", "2026-04-05T22:00:00.000Z"],
      ["2026-04-06", "2026-04-05T22:00:00.000Z", "2026-04-12T22:00:00.000Z"],
    ]);
    expect(seriesKpis.map((kpi) => kpi.id).sort()).toEqual([
      "bug_fixes", "data_access_time", "deployment_frequency", "features_shipped", "lead_time_for_changes", "mttr", "releases", "rework_rate", "time_to_restore",
    ]);
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
    for (const kpi of placedByAtKpis) {
      const perWeek = await Promise.all(weeks.map((window) => kpi.compute(store(), { project, config, window, now })));
      const series = await kpi.series!(store(), { project, config, now }, weeks);
      expect(series, kpi.id).toEqual(perWeek);
      expect(series.map(([entry]) => entry!.value), kpi.id).toEqual(expected[kpi.id as keyof typeof expected]);
      expect(series.every((entries) => entries.length === 1 && entries[0]!.dimension === null), kpi.id).toBe(true);
    }
  });

  it("is what each week's compute is over an empty history: 0 for counts, null for the others", async () => {
    for (const kpi of placedByAtKpis) {
      const empty = kpi.unit === "count" ? 0 : null;
      expect(await kpi.series!(store(), { project, config, now }, weeks), kpi.id).toEqual(weeks.map(() => [{ dimension: null, value: empty, sampleSize: 0 }]));
    }
  });

  it("gives the delivery KPIs' entries of each week's compute: rollouts, rollbacks, changes shipped across a week edge, redeploys", async () => {
    // acme/fraud-api's default branch, oldest first: c0 ← a1 (lone) ← h1 (squash of PR 10, labelled
    // hotfix) ← b2 (lone) ← r3 (squash of PR 11, from a hotfix/ branch) ← c4 (lone).
    await insertCommits(store(), [
      commit("c0", [], "2026-03-01T00:00:00Z"),
      commit("a1", ["c0"], "2026-03-15T13:00:00Z"),
      commit("h1", ["a1"], "2026-03-15T22:00:00Z", { pullNumber: 10 }),
      commit("b2", ["h1"], "2026-03-22T12:00:00Z"),
      commit("r3", ["b2"], "2026-03-29T12:00:00Z", { pullNumber: 11 }),
      commit("c4", ["r3"], "2026-04-06T00:00:00Z"),
    ]);
    await insertPullRequest(store(), { number: 10, mergeCommitSha: "h1", commits: [["h1x", "2026-03-15T21:00:00Z"]], labels: ["hotfix"] });
    await insertPullRequest(store(), { number: 11, mergeCommitSha: "r3", commits: [["r3x", "2026-03-29T00:00:00Z"]], headRef: "hotfix/scores" });
    const api = { repo: "acme/fraud-api" };
    await insertDeployments(store(), [
      deployment("d0", "2026-03-15T22:59:59Z", { ...api, commitSha: "c0" }), // the instant before week 1: out, ships c0
      // Week 1: ships a1 (10 h) and PR 10 (from h1x: 2 h; a hotfix) at its first instant; one without a commit at its last.
      deployment("w1-first", "2026-03-15T23:00:00Z", { ...api, commitSha: "h1" }),
      deployment("w1-last", "2026-03-22T22:59:59Z"),
      // Week 2 (23-hour Sunday, still 7 days): rolled back, it still ships b2, authored in week 1 (11 h).
      deployment("w2-rolled-back", "2026-03-22T23:00:00Z", { ...api, commitSha: "b2", status: "rolled_back" }),
      deployment("w2-model", "2026-03-25T12:00:00Z", { service: null, model: "fraud-xgb", kind: "model", version: "7" }),
      deployment("w2-plain", "2026-03-26T12:00:00Z"),
      // A failed rollout of r3 at week 2's last instant: not a deployment, ships nothing, counted beside the value.
      deployment("w2-failed", "2026-03-29T21:59:59Z", { ...api, commitSha: "r3", status: "failure" }),
      // Week 3: r3 (PR 11, from r3x: 22 h; a hotfix branch) twice at its first instant — the second ships nothing, flagged hotfix.
      deployment("w3-r3", "2026-03-29T22:00:00Z", { ...api, commitSha: "r3" }),
      deployment("w3-r3-again", "2026-03-29T22:00:00Z", { ...api, commitSha: "r3", hotfix: true }),
      deployment("w3-staging", "2026-03-30T12:00:00Z", { environment: "staging" }),
      deployment("w3-staging-failed", "2026-03-30T13:00:00Z", { environment: "staging", status: "failure" }),
      // Week 4: a redeploy of a1 (ships nothing) and a failed rollout.
      deployment("w4-redeploy", "2026-04-06T12:00:00Z", { ...api, commitSha: "a1" }),
      deployment("w4-failed", "2026-04-12T21:59:59Z", { status: "failure" }),
      deployment("after", "2026-04-12T22:00:00Z", { ...api, commitSha: "c4" }), // out
    ]);
    // Each week's entry, as computed by hand from the history above.
    const expected = {
      deployment_frequency: [
        { value: 2 / 7, sampleSize: 2, breakdown: { failed_rollouts: 0 } },
        { value: 3 / 7, sampleSize: 3, breakdown: { failed_rollouts: 1 } },
        { value: 2 / 7, sampleSize: 2, breakdown: { failed_rollouts: 0 } },
        { value: 1 / 7, sampleSize: 1, breakdown: { failed_rollouts: 1 } },
      ],
      lead_time_for_changes: [
        { value: 6, sampleSize: 2, coverage: { deployments: 2, without_commit: 1 } },
        { value: 11, sampleSize: 1, coverage: { deployments: 3, without_commit: 2 } },
        { value: 22, sampleSize: 1, coverage: { deployments: 2, without_commit: 0 } },
        { value: null, sampleSize: 0, coverage: { deployments: 1, without_commit: 0 } },
      ],
      rework_rate: [
        { value: 50, sampleSize: 2 },
        { value: 0, sampleSize: 3 },
        { value: 100, sampleSize: 2 },
        { value: 0, sampleSize: 1 },
      ],
    };
    expect(deliveryKpis.map((kpi) => kpi.id).sort()).toEqual(deliveryIds);
    for (const kpi of deliveryKpis) {
      // The series first: it must make the derived shipped commits fresh itself (the inserts marked them stale).
      const series = await kpi.series!(store(), { project, config, now }, weeks);
      const perWeek = await Promise.all(weeks.map((window) => kpi.compute(store(), { project, config, window, now })));
      expect(series, kpi.id).toEqual(perWeek);
      expect(series, kpi.id).toEqual(expected[kpi.id as keyof typeof expected].map((entry) => [{ dimension: null, ...entry }]));
    }
  });

  it("gives the delivery KPIs' empty weeks as each week's compute does", async () => {
    const empty = {
      deployment_frequency: { value: 0, sampleSize: 0, breakdown: { failed_rollouts: 0 } },
      lead_time_for_changes: { value: null, sampleSize: 0, coverage: { deployments: 0, without_commit: 0 } },
      rework_rate: { value: null, sampleSize: 0 },
    };
    for (const kpi of deliveryKpis) {
      const series = await kpi.series!(store(), { project, config, now }, weeks);
      expect(series, kpi.id).toEqual(weeks.map(() => [{ dimension: null, ...empty[kpi.id as keyof typeof empty] }]));
      expect(series, kpi.id).toEqual(await Promise.all(weeks.map((window) => kpi.compute(store(), { project, config, window, now }))));
    }
  });
});
