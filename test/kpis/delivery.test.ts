import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { deployments } from "@/db/schema";
import { upsertRecords } from "@/db/upsert";
import { changeFailureRate } from "@/lib/kpis/definitions/change-failure-rate";
import { deploymentFrequency } from "@/lib/kpis/definitions/deployment-frequency";
import { leadTimeForChanges } from "@/lib/kpis/definitions/lead-time-for-changes";
import { mttr } from "@/lib/kpis/definitions/mttr";
import { reworkRate } from "@/lib/kpis/definitions/rework-rate";
import { timeToRestore } from "@/lib/kpis/definitions/time-to-restore";
import { doraBand } from "@/lib/kpis/dora/bands";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";
import { commit, deployment, incident, insertCommits, insertDeployments, insertIncidents, insertPullRequest, insertWorkItems } from "@/test/support/records";
import { contextFor, eventIds } from "@/test/kpis/support";

const config = testConfig();
// 2026-03-01..10 in UTC: [2026-03-01T00:00Z, 2026-03-11T00:00Z), 10 days.
const march = contextFor(config, "fraud", { from: "2026-03-01", to: "2026-03-10" });

describeEachDriver("deployment_frequency", (store) => {
  it("is 0 per day (not null) over an empty window, with no failed rollouts", async () => {
    expect(await deploymentFrequency.compute(store(), march)).toEqual([
      { dimension: null, value: 0, sampleSize: 0, breakdown: { failed_rollouts: 0 } },
    ]);
    expect(await deploymentFrequency.events(store(), march, null)).toEqual([]);
  });

  it("counts the project's completed production deployments from the window's first instant up to, not including, its end", async () => {
    await insertDeployments(store(), [
      deployment("at-start", "2026-03-01T00:00:00Z"), // in
      deployment("at-end", "2026-03-11T00:00:00Z"), // the first instant after the window: out
      deployment("before", "2026-02-28T23:59:59Z"), // out
      deployment("upper-case-env", "2026-03-02T10:00:00Z", { environment: "Production" }), // in: environments compare case-insensitively
      deployment("prod-alias", "2026-03-02T11:00:00Z", { environment: "prod" }), // in: the default's second name
      deployment("staging", "2026-03-03T10:00:00Z", { environment: "staging" }), // not production
      deployment("failed", "2026-03-03T11:00:00Z", { status: "failure" }), // a failed rollout: reported beside, not counted
      deployment("rolled-back", "2026-03-04T10:00:00Z", { status: "rolled_back" }), // reached production: in
      deployment("by-model", "2026-03-05T10:00:00Z", { service: null, model: "fraud-xgb", kind: "model" }), // in through its model
      deployment("by-repo", "2026-03-06T10:00:00Z", { service: "other", repo: "acme/fraud-model" }), // in through its repo
      deployment("other-project", "2026-03-06T11:00:00Z", { service: "churn-api" }), // out
    ]);
    expect(await deploymentFrequency.compute(store(), march)).toEqual([
      { dimension: null, value: 6 / 10, sampleSize: 6, breakdown: { failed_rollouts: 1 } },
    ]);
    expect(await eventIds(store(), deploymentFrequency, march)).toEqual([
      "at-start",
      "upper-case-env",
      "prod-alias",
      "rolled-back",
      "by-model",
      "by-repo",
    ]);
  });

  it("places deployments in local days across DST changes (Berlin's 23-hour day, New York's 25-hour day)", async () => {
    await insertDeployments(store(), [
      deployment("berlin-before", "2026-03-28T22:59:59Z"), // 23:59:59 CET on 28 March: out
      deployment("berlin-first", "2026-03-28T23:00:00Z"), // 00:00 CET on 29 March: in
      deployment("berlin-last", "2026-03-29T21:59:59Z"), // 23:59:59 CEST on 29 March: in
      deployment("berlin-after", "2026-03-29T22:00:00Z"), // 00:00 CEST on 30 March: out
      deployment("ny-first", "2026-11-01T04:00:00Z"), // 00:00 EDT on 1 November: in
      deployment("ny-last", "2026-11-02T04:59:59Z"), // 23:59:59 EST on 1 November: in
      deployment("ny-after", "2026-11-02T05:00:00Z"), // out
    ]);
    const berlin = contextFor(config, "fraud", { from: "2026-03-29", to: "2026-03-29", timezone: "Europe/Berlin" });
    expect(berlin.window.days).toBe(1);
    expect(await eventIds(store(), deploymentFrequency, berlin)).toEqual(["berlin-first", "berlin-last"]);
    expect((await deploymentFrequency.compute(store(), berlin))[0]!.value).toBe(2);
    const newYork = contextFor(config, "fraud", { from: "2026-11-01", to: "2026-11-01", timezone: "America/New_York" });
    expect(await eventIds(store(), deploymentFrequency, newYork)).toEqual(["ny-first", "ny-last"]);
    const berlinMarch = contextFor(config, "fraud", { from: "2026-03-01", to: "2026-03-31", timezone: "Europe/Berlin" });
    expect(berlinMarch.window.days).toBe(31);
    // All four Berlin deployments fall in March (local time), none of New York's.
    expect((await deploymentFrequency.compute(store(), berlinMarch))[0]!.value).toBe(4 / 31);
  });

  it("counts a record delivered twice once, and follows a late update of its status", async () => {
    const record = deployment("d1", "2026-03-02T10:00:00Z");
    await upsertRecords(store(), deployments, [record, deployment("d2", "2026-03-03T10:00:00Z")]);
    await upsertRecords(store(), deployments, [record]);
    expect((await deploymentFrequency.compute(store(), march))[0]).toMatchObject({ value: 0.2, sampleSize: 2 });
    await upsertRecords(store(), deployments, [{ ...deployment("d2", "2026-03-03T10:00:00Z"), status: "failure", raw: { id: "d2", status: "failure" } }]);
    expect((await deploymentFrequency.compute(store(), march))[0]).toMatchObject({ value: 0.1, sampleSize: 1, breakdown: { failed_rollouts: 1 } });
  });
});

/**
 * acme/fraud-api's default branch, oldest first (first parent ←):
 *   c0 (deployed by d0 before the window) ← m1 (merge of PR 1: p1a, p1b) ← l2 (lone) ←
 *   s2 (squash of PR 2: p2a) ← r3a' ← r3b' (rebase of PR 3: r3a, r3b).
 */
async function insertHistory(store: () => import("@/db/client").Store) {
  await insertCommits(store(), [
    commit("c0", [], "2026-02-20T00:00:00Z"),
    commit("p1a", ["c0"], "2026-03-01T00:00:00Z", { pullNumber: 1 }),
    commit("p1b", ["p1a"], "2026-03-01T06:00:00Z", { pullNumber: 1 }),
    commit("m1", ["c0", "p1b"], "2026-03-02T00:00:00Z", { pullNumber: 1 }),
    commit("l2", ["m1"], "2026-03-02T12:00:00Z"),
    commit("s2", ["l2"], "2026-03-03T00:00:00Z", { pullNumber: 2 }),
    commit("r3a-copy", ["s2"], "2026-03-03T00:00:00Z", { pullNumber: 3 }),
    commit("r3b-copy", ["r3a-copy"], "2026-03-03T02:00:00Z", { pullNumber: 3 }),
  ]);
  await insertPullRequest(store(), { number: 1, mergeCommitSha: "m1", commits: [["p1a", "2026-03-01T00:00:00Z"], ["p1b", "2026-03-01T06:00:00Z"]] });
  await insertPullRequest(store(), { number: 2, mergeCommitSha: "s2", commits: [["p2a", "2026-03-02T00:00:00Z"]] });
  await insertPullRequest(store(), { number: 3, mergeCommitSha: "r3b-copy", commits: [["r3a", "2026-03-03T00:00:00Z"], ["r3b", "2026-03-03T02:00:00Z"]] });
  await insertDeployments(store(), [deployment("d0", "2026-02-25T00:00:00Z", { repo: "acme/fraud-api", commitSha: "c0" })]);
}

describeEachDriver("lead_time_for_changes", (store) => {
  it("is null over a window that shipped no change, with its coverage", async () => {
    await insertDeployments(store(), [deployment("no-sha", "2026-03-02T00:00:00Z", { repo: "acme/fraud-api" })]);
    expect(await leadTimeForChanges.compute(store(), march)).toEqual([
      { dimension: null, value: null, sampleSize: 0, coverage: { deployments: 1, without_commit: 1 } },
    ]);
  });

  it("a deployment of a later commit ships every earlier change not shipped before: merge, squash, rebase and lone commits", async () => {
    await insertHistory(store);
    await insertDeployments(store(), [deployment("d1", "2026-03-04T00:00:00Z", { repo: "acme/fraud-api", commitSha: "r3b-copy" })]);
    // PR 1: from p1a (03-01 00:00) 72 h; lone l2: 36 h; PR 2 (squash; its own commit p2a from 03-02 00:00): 48 h;
    // PR 3 (rebased; r3a authored 03-03 00:00): 24 h. Median of 24, 36, 48, 72 = 42.
    expect(await leadTimeForChanges.compute(store(), march)).toEqual([
      { dimension: null, value: 42, sampleSize: 4, coverage: { deployments: 1, without_commit: 0 } },
    ]);
    const events = await leadTimeForChanges.events(store(), march, null);
    expect(events.map((e) => [e.id, e.value, e.at])).toEqual([
      ["acme/fraud-api#1", 72, "2026-03-04T00:00:00.000Z"],
      ["acme/fraud-api#2", 48, "2026-03-04T00:00:00.000Z"],
      ["acme/fraud-api#3", 24, "2026-03-04T00:00:00.000Z"],
      ["acme/fraud-api@l2", 36, "2026-03-04T00:00:00.000Z"],
    ]);
    expect(events.find((e) => e.id === "acme/fraud-api@l2")!.title).toBe("commit l2");
    // The change shipped before the window (c0, by d0) is not in it.
    expect(doraBand("lead_time_for_changes", 42)).toBe("high");
  });

  it("one sample is its value; two samples give the mean of the two (interpolated median)", async () => {
    await insertCommits(store(), [commit("a", [], "2026-03-01T00:00:00Z"), commit("b", ["a"], "2026-03-02T00:00:00Z")]);
    await insertDeployments(store(), [deployment("first", "2026-03-01T10:00:00Z", { repo: "acme/fraud-api", commitSha: "a" })]);
    expect((await leadTimeForChanges.compute(store(), march))[0]).toMatchObject({ value: 10, sampleSize: 1 });
    await insertDeployments(store(), [deployment("second", "2026-03-02T03:00:00Z", { repo: "acme/fraud-api", commitSha: "b" })]);
    // a: 10 h (by "first"); b: 3 h (by "second", which stops at a). Median (3 + 10) / 2.
    expect((await leadTimeForChanges.compute(store(), march))[0]).toMatchObject({ value: 6.5, sampleSize: 2 });
  });

  it("ships nothing from a redeploy, a deployment without a commit, another branch, another environment or a failed rollout", async () => {
    await insertHistory(store);
    await insertCommits(store(), [
      commit("l4", ["r3b-copy"], "2026-03-05T00:00:00Z"),
      commit("branch", ["l4"], "2026-03-05T01:00:00Z", { onDefaultBranch: false }),
    ]);
    const fraudApi = { repo: "acme/fraud-api" };
    await insertDeployments(store(), [
      deployment("d1", "2026-03-04T00:00:00Z", { ...fraudApi, commitSha: "r3b-copy" }),
      deployment("redeploy", "2026-03-05T00:00:00Z", { ...fraudApi, commitSha: "r3b-copy" }),
      deployment("no-sha", "2026-03-05T01:00:00Z", fraudApi),
      deployment("other-branch", "2026-03-05T02:00:00Z", { ...fraudApi, commitSha: "branch", ref: "feature/x" }),
      deployment("staging", "2026-03-05T03:00:00Z", { ...fraudApi, commitSha: "l4", environment: "staging" }),
      deployment("failed", "2026-03-05T04:00:00Z", { ...fraudApi, commitSha: "l4", status: "failure" }),
      deployment("d2", "2026-03-06T00:00:00Z", { ...fraudApi, commitSha: "l4" }),
    ]);
    // d1 ships the four changes above; d2 ships l4 (24 h); the others ship nothing.
    const [entry] = await leadTimeForChanges.compute(store(), march);
    // 24, 24, 36, 48, 72 h.
    expect(entry).toEqual({ dimension: null, value: 36, sampleSize: 5, coverage: { deployments: 5, without_commit: 1 } });
    expect(await eventIds(store(), leadTimeForChanges, march)).toContain("acme/fraud-api@l4");
  });

  it("a change shipped before the window is not counted again when a later deployment in it includes it", async () => {
    await insertHistory(store);
    await insertDeployments(store(), [
      deployment("d1", "2026-02-28T00:00:00Z", { repo: "acme/fraud-api", commitSha: "s2" }),
      deployment("d2", "2026-03-04T00:00:00Z", { repo: "acme/fraud-api", commitSha: "r3b-copy" }),
    ]);
    expect(await eventIds(store(), leadTimeForChanges, march)).toEqual(["acme/fraud-api#3"]);
  });

  /**
   * main: c0 ← c1 ← c2 ← m3 (merges develop at v2) ← c4 ← c5 ← m6 (merges develop at v4);
   * develop, forked from c0 and merged without pull requests: v1 ← v2 ← v3 ← v4.
   */
  async function insertDevelopHistory() {
    await insertCommits(store(), [
      commit("c0", [], "2026-02-20T00:00:00Z"),
      commit("v1", ["c0"], "2026-03-01T01:00:00Z"),
      commit("v2", ["v1"], "2026-03-01T02:00:00Z"),
      commit("v3", ["v2"], "2026-03-01T03:00:00Z"),
      commit("v4", ["v3"], "2026-03-01T04:00:00Z"),
      commit("c1", ["c0"], "2026-03-01T05:00:00Z"),
      commit("c2", ["c1"], "2026-03-01T06:00:00Z"),
      commit("m3", ["c2", "v2"], "2026-03-01T07:00:00Z"),
      commit("c4", ["m3"], "2026-03-01T08:00:00Z"),
      commit("c5", ["c4"], "2026-03-01T09:00:00Z"),
      commit("m6", ["c5", "v4"], "2026-03-01T10:00:00Z"),
    ]);
  }
  const shippedBy = async () => {
    const events = await leadTimeForChanges.events(store(), march, null);
    const by: Record<string, string[]> = {};
    for (const e of events) (by[e.at] ??= []).push(e.id.replace("acme/fraud-api@", ""));
    return Object.fromEntries(Object.entries(by).map(([at, ids]) => [at.slice(5, 10), ids.sort()]));
  };
  const fraudApi = (id: string, finishedAt: string, commitSha: string) => deployment(id, finishedAt, { repo: "acme/fraud-api", commitSha });

  it("ships commits reachable only through a merge's second parent; the merge of no pull request is no change", async () => {
    await insertDevelopHistory();
    await insertDeployments(store(), [fraudApi("d0", "2026-02-25T00:00:00Z", "c0"), fraudApi("d1", "2026-03-02T00:00:00Z", "m6")]);
    expect(await shippedBy()).toEqual({ "03-02": ["c1", "c2", "c4", "c5", "v1", "v2", "v3", "v4"] });
    // From 03-01 01:00..10:00 (v1..c5 without the merges) to 03-02 00:00: 23, 22, 21, 20, 19, 18, 16, 15 h → median 19.5.
    expect((await leadTimeForChanges.compute(store(), march))[0]).toMatchObject({ value: 19.5, sampleSize: 8 });
  });

  it("ships nothing from a rollback, nor from a later deployment of a commit older than one deployed before", async () => {
    await insertDevelopHistory();
    await insertDeployments(store(), [
      fraudApi("d0", "2026-02-25T00:00:00Z", "c0"),
      fraudApi("ahead", "2026-03-02T00:00:00Z", "c5"),
      fraudApi("rollback", "2026-03-03T00:00:00Z", "c2"),
      fraudApi("older", "2026-03-04T00:00:00Z", "c4"), // never deployed, but c5's history holds it
      fraudApi("forward", "2026-03-05T00:00:00Z", "m6"),
    ]);
    expect(await shippedBy()).toEqual({ "03-02": ["c1", "c2", "c4", "c5", "v1", "v2"], "03-05": ["v3", "v4"] });
  });

  it("a deployment of a develop commit ships its history; the later merge ships only the rest, also when it came before the window", async () => {
    await insertDevelopHistory();
    await insertDeployments(store(), [
      fraudApi("d0", "2026-02-25T00:00:00Z", "c0"),
      fraudApi("develop", "2026-03-01T12:00:00Z", "v3"),
      fraudApi("merge", "2026-03-05T00:00:00Z", "m6"),
    ]);
    expect(await shippedBy()).toEqual({ "03-01": ["v1", "v2", "v3"], "03-05": ["c1", "c2", "c4", "c5", "v4"] });
    // The same develop deployment before the window: its commits shipped then, not in the window.
    await store().db.execute(sql`UPDATE deployments SET finished_at = '2026-02-27T00:00:00Z' WHERE external_id = 'develop'`);
    expect(await shippedBy()).toEqual({ "03-05": ["c1", "c2", "c4", "c5", "v4"] });
  });
});

describeEachDriver("change_failure_rate", (store) => {
  it("is null (no data) over a window without completed production deployments", async () => {
    await insertDeployments(store(), [deployment("failed", "2026-03-02T00:00:00Z", { status: "failure" })]);
    expect(await changeFailureRate.compute(store(), march)).toEqual([{ dimension: null, value: null, sampleSize: 0 }]);
  });

  it("counts rolled-back deployments and deployments with attributed incidents once each", async () => {
    await insertDeployments(store(), [
      deployment("A", "2026-03-02T00:00:00Z", { status: "rolled_back" }),
      deployment("B", "2026-03-03T00:00:00Z"),
      deployment("C", "2026-03-04T00:00:00Z"),
      deployment("D", "2026-03-05T00:00:00Z"),
      deployment("E", "2026-03-06T00:00:00Z"),
      deployment("F", "2026-03-07T00:00:00Z", { commitSha: "abc1234" }),
      deployment("G", "2026-03-07T12:00:00Z"),
      deployment("failed", "2026-03-07T13:00:00Z", { status: "failure" }), // not completed: neither side of the rate
    ]);
    await insertIncidents(store(), [
      incident("I1", "2026-03-03T01:00:00Z", { service: "fraud-api" }), // by time → B
      incident("I2", "2026-03-03T05:00:00Z", { service: "fraud-api" }), // by time → B again: B counts once
      incident("I3", "2026-03-09T00:00:00Z", { service: "fraud-api", deploymentId: "C" }), // named → C
      incident("I4", "2026-03-14T12:00:01Z", { service: "fraud-api" }), // 168 h and 1 s after G, the latest: nothing
      incident("I5", "2026-03-08T00:00:00Z", { commitSha: "abc1234" }), // by commit → F, not the later G
      incident("other", "2026-03-06T01:00:00Z", { service: "churn-api" }), // another project's
    ]);
    await insertWorkItems(store(), [
      { source: "github", container: "acme/fraud-api", key: "77", labels: ["incident"], createdAt: "2026-03-09T12:00:00Z" }, // no service → G
      { source: "jira", container: "FRD", key: "FRD-9", issueType: "Incident", createdAt: "2026-03-09T13:00:00Z" }, // → G
    ]);
    // Failed: A (rolled back), B, C, F, G — 5 of 7.
    expect(await changeFailureRate.compute(store(), march)).toEqual([{ dimension: null, value: (5 / 7) * 100, sampleSize: 7 }]);
    const events = await changeFailureRate.events(store(), march, null);
    expect(events.map((e) => [e.id, e.value])).toEqual([
      ["A", 1],
      ["B", 1],
      ["C", 1],
      ["D", 0],
      ["E", 0],
      ["F", 1],
      ["G", 1],
    ]);
    expect(events.find((e) => e.id === "B")!.title).toBe("fraud-api — incidents I1, I2");
    expect(events.find((e) => e.id === "G")!.title).toBe("fraud-api — incidents FRD-9, acme/fraud-api#77");
    expect(doraBand("change_failure_rate", (5 / 7) * 100)).toBe("low");
  });

  it("attributes an incident within the window of hours to the latest earlier deployment of its service only", async () => {
    const config = testConfig(`
projects:
  - slug: fraud
    name: Fraud
    incident_window_hours: 2
    services: [fraud-api, fraud-batch]
`);
    const context = contextFor(config, "fraud", { from: "2026-03-01", to: "2026-03-10" });
    await insertDeployments(store(), [
      deployment("api", "2026-03-02T00:00:00Z"),
      deployment("batch", "2026-03-02T01:00:00Z", { service: "fraud-batch" }),
      deployment("api-late", "2026-03-05T00:00:00Z"),
    ]);
    await insertIncidents(store(), [
      incident("in-window", "2026-03-02T02:00:00Z", { service: "fraud-api" }), // api finished exactly 2 h before: attributed
      incident("too-late", "2026-03-05T02:00:01Z", { service: "fraud-api" }), // 2 h 1 s after api-late: nothing
    ]);
    expect(await eventIds(store(), changeFailureRate, context)).toEqual(["api", "batch", "api-late"]);
    expect((await changeFailureRate.events(store(), context, null)).map((e) => e.value)).toEqual([1, 0, 0]);
  });

  it("blames an incident naming a commit on the deployment that first shipped it, whichever window is read", async () => {
    await insertCommits(store(), [commit("a", [], "2026-03-01T00:00:00Z"), commit("b", ["a"], "2026-03-02T00:00:00Z")]);
    const fraudApi = { repo: "acme/fraud-api" };
    await insertDeployments(store(), [
      deployment("first", "2026-03-02T10:00:00Z", { ...fraudApi, commitSha: "b" }), // ships a and b
      deployment("redeploy", "2026-03-06T00:00:00Z", { ...fraudApi, commitSha: "a" }), // deploys a again: ships nothing
    ]);
    await insertIncidents(store(), [incident("I", "2026-03-06T02:00:00Z", { commitSha: "a" })]);
    const window = (from: string, to: string) => contextFor(config, "fraud", { from, to });
    // "first" shipped a, before the redeploy: the incident is its alone, in every window.
    expect(await changeFailureRate.compute(store(), window("2026-03-01", "2026-03-04"))).toEqual([{ dimension: null, value: 100, sampleSize: 1 }]);
    expect(await changeFailureRate.compute(store(), window("2026-03-05", "2026-03-10"))).toEqual([{ dimension: null, value: 0, sampleSize: 1 }]);
    expect(await changeFailureRate.compute(store(), march)).toEqual([{ dimension: null, value: 50, sampleSize: 2 }]);
  });

  it("counts a deployment that shipped a pull request a merged pull request later reverts", async () => {
    await insertHistory(store);
    await insertPullRequest(store(), { number: 4, mergeCommitSha: "rev", commits: [], revertsNumber: 1 }); // reverts PR 1
    await insertPullRequest(store(), { number: 5, mergeCommitSha: "rev2", commits: [], revertsNumber: 2, mergedToDefault: false }); // not merged to default
    await insertDeployments(store(), [
      deployment("d1", "2026-03-04T00:00:00Z", { repo: "acme/fraud-api", commitSha: "r3b-copy" }),
      deployment("other", "2026-03-05T00:00:00Z"),
    ]);
    expect(await changeFailureRate.compute(store(), march)).toEqual([{ dimension: null, value: 50, sampleSize: 2 }]);
    const events = await changeFailureRate.events(store(), march, null);
    expect(events.map((e) => [e.id, e.value, e.title])).toEqual([
      ["d1", 1, "fraud-api (r3b-cop) — reverted acme/fraud-api#1"],
      ["other", 0, "fraud-api"],
    ]);
  });
});

describeEachDriver("rework_rate", (store) => {
  it("is null over a window without completed production deployments", async () => {
    expect(await reworkRate.compute(store(), march)).toEqual([{ dimension: null, value: null, sampleSize: 0 }]);
  });

  it("counts deployments flagged hotfix, or shipping a PR labelled hotfix or from a hotfix/ branch", async () => {
    await insertCommits(store(), [
      commit("base", [], "2026-02-01T00:00:00Z"),
      commit("labelled", ["base"], "2026-03-02T00:00:00Z", { pullNumber: 10 }),
      commit("branch", ["labelled"], "2026-03-03T00:00:00Z", { pullNumber: 11 }),
      commit("plain", ["branch"], "2026-03-04T00:00:00Z", { pullNumber: 12 }),
    ]);
    await insertPullRequest(store(), { number: 10, mergeCommitSha: "labelled", commits: [], labels: ["Hotfix"] });
    await insertPullRequest(store(), { number: 11, mergeCommitSha: "branch", commits: [], headRef: "hotfix/null-scores" });
    await insertPullRequest(store(), { number: 12, mergeCommitSha: "plain", commits: [] });
    const fraudApi = { repo: "acme/fraud-api" };
    await insertDeployments(store(), [
      deployment("base", "2026-02-01T01:00:00Z", { ...fraudApi, commitSha: "base" }),
      deployment("flag", "2026-03-01T12:00:00Z", { hotfix: true }),
      deployment("by-label", "2026-03-02T12:00:00Z", { ...fraudApi, commitSha: "labelled" }),
      deployment("by-branch", "2026-03-03T12:00:00Z", { ...fraudApi, commitSha: "branch" }),
      deployment("plain", "2026-03-04T12:00:00Z", { ...fraudApi, commitSha: "plain", ref: "hotfix/not-a-pr-branch" }),
      deployment("none", "2026-03-05T12:00:00Z"),
    ]);
    expect(await reworkRate.compute(store(), march)).toEqual([{ dimension: null, value: 60, sampleSize: 5 }]);
    const events = await reworkRate.events(store(), march, null);
    expect(events.map((e) => [e.id, e.value, e.title])).toEqual([
      ["flag", 1, "fraud-api — hotfix"],
      ["by-label", 1, "fraud-api (labelle) — ships hotfix acme/fraud-api#10"],
      ["by-branch", 1, "fraud-api (branch) — ships hotfix acme/fraud-api#11"],
      ["plain", 0, "fraud-api (plain)"],
      ["none", 0, "fraud-api"],
    ]);
  });
});

describeEachDriver("time_to_restore and mttr", (store) => {
  it("are null with no incident resolved in the window", async () => {
    await insertIncidents(store(), [incident("open", "2026-03-02T00:00:00Z", { service: "fraud-api" })]);
    for (const kpi of [timeToRestore, mttr]) expect(await kpi.compute(store(), march)).toEqual([{ dimension: null, value: null, sampleSize: 0 }]);
  });

  it("one incident is its duration; two give the mean of the two", async () => {
    await insertIncidents(store(), [incident("one", "2026-03-02T00:00:00Z", { service: "fraud-api", resolvedAt: "2026-03-02T02:00:00Z" })]);
    expect((await timeToRestore.compute(store(), march))[0]).toMatchObject({ value: 2, sampleSize: 1 });
    await insertIncidents(store(), [incident("two", "2026-03-03T00:00:00Z", { service: "fraud-api", resolvedAt: "2026-03-03T03:00:00Z" })]);
    expect((await timeToRestore.compute(store(), march))[0]).toMatchObject({ value: 2.5, sampleSize: 2 });
    expect((await mttr.compute(store(), march))[0]).toMatchObject({ value: 2.5, sampleSize: 2 });
  });

  it("take the project's incidents resolved in the window from every source: median and mean", async () => {
    await insertDeployments(store(), [deployment("dep", "2026-02-20T00:00:00Z", { service: "fraud-batch", repo: "acme/fraud-api" })]);
    await insertIncidents(store(), [
      incident("at-start", "2026-02-28T23:00:00Z", { service: "fraud-api", resolvedAt: "2026-03-01T00:00:00Z" }), // 1 h, resolved at the first instant: in
      incident("at-end", "2026-03-10T20:00:00Z", { service: "fraud-api", resolvedAt: "2026-03-11T00:00:00Z" }), // resolved at the end: out
      incident("named", "2026-03-02T00:00:00Z", { deploymentId: "dep", resolvedAt: "2026-03-02T04:00:00Z" }), // 4 h, through its deployment
      incident("other", "2026-03-02T00:00:00Z", { service: "churn-api", resolvedAt: "2026-03-02T05:00:00Z" }), // another project's
      incident("nameless", "2026-03-02T00:00:00Z", { resolvedAt: "2026-03-02T05:00:00Z" }), // names nothing: no project's
    ]);
    await insertWorkItems(store(), [
      { source: "github", container: "acme/fraud-api", key: "5", labels: ["incident", "bug"], createdAt: "2026-03-03T00:00:00Z", resolvedAt: "2026-03-03T10:00:00Z" }, // 10 h
      { source: "github", container: "acme/fraud-api", key: "6", labels: ["incident"], createdAt: "2026-03-03T00:00:00Z", resolvedAt: "2026-03-03T01:00:00Z", resolution: "not_planned" },
      { source: "jira", container: "FRD", key: "FRD-1", issueType: "Incident", createdAt: "2026-03-04T00:00:00Z", resolvedAt: "2026-03-04T05:00:00Z" }, // 5 h
      { source: "jira", container: "FRD", key: "FRD-2", issueType: "Incident", createdAt: "2026-03-04T00:00:00Z", resolvedAt: "2026-03-04T01:00:00Z", resolution: "Won't Do" },
      { source: "jira", container: "FRD", key: "FRD-3", issueType: "Bug", createdAt: "2026-03-04T00:00:00Z", resolvedAt: "2026-03-04T01:00:00Z" }, // not an incident
    ]);
    // 1, 4, 5, 10 h: median 4.5, mean 5.
    expect(await timeToRestore.compute(store(), march)).toEqual([{ dimension: null, value: 4.5, sampleSize: 4 }]);
    expect(await mttr.compute(store(), march)).toEqual([{ dimension: null, value: 5, sampleSize: 4 }]);
    expect(await eventIds(store(), mttr, march)).toEqual(["at-start", "named", "acme/fraud-api#5", "FRD-1"]);
    expect(doraBand("time_to_restore", 4.5)).toBe("high");
  });
});
