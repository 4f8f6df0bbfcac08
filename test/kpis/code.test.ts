import { expect, it } from "vitest";
import { releases as releasesTable, workItems } from "@/db/schema";
import { upsertRecords } from "@/db/upsert";
import { bugFixes } from "@/lib/kpis/definitions/bug-fixes";
import { featuresShipped } from "@/lib/kpis/definitions/features-shipped";
import { releases } from "@/lib/kpis/definitions/releases";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";
import { insertReleases, insertWorkItems, workItem } from "@/test/support/records";
import { contextFor, eventIds } from "@/test/kpis/support";

const config = testConfig();
// 2026-03-01..07 in Berlin: [2026-02-28T23:00Z, 2026-03-07T23:00Z).
const berlinWeek = contextFor(config, "fraud", { from: "2026-03-01", to: "2026-03-07", timezone: "Europe/Berlin" });

describeEachDriver("releases", (store) => {
  it("is 0, not null, over an empty window", async () => {
    expect(await releases.compute(store(), berlinWeek)).toEqual([{ dimension: null, value: 0, sampleSize: 0 }]);
    expect(await releases.events(store(), berlinWeek, null)).toEqual([]);
  });

  it("counts published releases of the project's repos from the window's first instant up to, not including, its end", async () => {
    await insertReleases(store(), [
      { repo: "acme/fraud-api", tag: "v1", publishedAt: "2026-02-28T23:00:00Z" }, // local 00:00 on the first day: in
      { repo: "acme/fraud-model", tag: "m1", publishedAt: "2026-03-07T22:59:59Z" }, // local 23:59:59 on the last day: in
      { repo: "acme/fraud-api", tag: "v2", publishedAt: "2026-03-07T23:00:00Z" }, // next day 00:00: out
      { repo: "acme/fraud-api", tag: "v0", publishedAt: "2026-02-28T22:59:59Z" }, // out
      { repo: "acme/fraud-api", tag: "draft", draft: true, publishedAt: null },
      { repo: "acme/fraud-api", tag: "v3-rc1", prerelease: true, publishedAt: "2026-03-03T10:00:00Z" },
      { repo: "acme/churn", tag: "c1", publishedAt: "2026-03-03T10:00:00Z" }, // another project's repo
    ]);
    expect(await releases.compute(store(), berlinWeek)).toEqual([{ dimension: null, value: 2, sampleSize: 2 }]);
    const events = await releases.events(store(), berlinWeek, null);
    expect(events.map((e) => [e.id, e.at, e.kind])).toEqual([
      ["acme/fraud-api@v1", "2026-02-28T23:00:00.000Z", "release"],
      ["acme/fraud-model@m1", "2026-03-07T22:59:59.000Z", "release"],
    ]);
  });

  it("places a release by published_at across DST changes (Berlin's 23-hour day, New York's 25-hour day)", async () => {
    await insertReleases(store(), [
      { repo: "acme/fraud-api", tag: "a", publishedAt: "2026-03-29T21:59:00Z" }, // 23:59 CEST on 29 March
      { repo: "acme/fraud-api", tag: "b", publishedAt: "2026-03-29T22:30:00Z" }, // 00:30 CEST on 30 March
      { repo: "acme/churn", tag: "c", publishedAt: "2026-11-02T04:30:00Z" }, // 23:30 EST on 1 November
      { repo: "acme/churn", tag: "d", publishedAt: "2026-11-01T03:59:00Z" }, // 23:59 EDT on 31 October
    ]);
    const berlinDay = contextFor(config, "fraud", { from: "2026-03-29", to: "2026-03-29", timezone: "Europe/Berlin" });
    expect(await eventIds(store(), releases, berlinDay)).toEqual(["acme/fraud-api@a"]);
    const newYorkDay = contextFor(config, "churn", { from: "2026-11-01", to: "2026-11-01" });
    expect(newYorkDay.window.timezone).toBe("America/New_York");
    expect(await eventIds(store(), releases, newYorkDay)).toEqual(["acme/churn@c"]);
  });

  it("counts a release stored twice once, and follows a draft that was published later", async () => {
    const draft = { source: "github", externalId: "42", raw: { draft: true }, repo: "acme/fraud-api", tag: "v5", draft: true };
    await upsertRecords(store(), releasesTable, [draft, draft]);
    expect((await releases.compute(store(), berlinWeek))[0]!.value).toBe(0);
    const published = { ...draft, raw: { draft: false }, draft: false, publishedAt: "2026-03-04T09:00:00Z" };
    await upsertRecords(store(), releasesTable, [published]);
    await upsertRecords(store(), releasesTable, [published]);
    expect((await releases.compute(store(), berlinWeek))[0]!.value).toBe(1);
  });
});

describeEachDriver("bug_fixes", (store) => {
  const march = contextFor(config, "fraud", { from: "2026-03-01", to: "2026-03-31" }); // UTC

  it("is 0 over an empty window", async () => {
    expect(await bugFixes.compute(store(), march)).toEqual([{ dimension: null, value: 0, sampleSize: 0 }]);
  });

  it("counts Jira bugs resolved as done and GitHub bugs closed as completed, in the project, in the window", async () => {
    await insertWorkItems(store(), [
      { source: "jira", container: "FRD", key: "FRD-1", issueType: "Bug", resolvedAt: "2026-03-01T00:00:00Z" }, // first instant
      { source: "jira", container: "FRD", key: "FRD-2", issueType: "bug", resolvedAt: "2026-03-10T00:00:00Z", resolution: null }, // no resolution: done
      { source: "jira", container: "FRD", key: "FRD-3", issueType: "Bug", resolvedAt: "2026-03-10T00:00:00Z", resolution: "Won't Do" },
      { source: "jira", container: "FRD", key: "FRD-4", issueType: "Bug", resolvedAt: "2026-03-10T00:00:00Z", resolution: "duplicate" },
      { source: "jira", container: "FRD", key: "FRD-5", issueType: "Task", resolvedAt: "2026-03-10T00:00:00Z" },
      { source: "jira", container: "FRD", key: "FRD-6", issueType: "Bug", resolvedAt: "2026-04-01T00:00:00Z" }, // window end: out
      { source: "jira", container: "CHN", key: "CHN-1", issueType: "Bug", resolvedAt: "2026-03-10T00:00:00Z" }, // other project
      { source: "jira", container: "FRD", key: "FRD-7", issueType: "Bug" }, // still open
      { source: "github", container: "acme/fraud-api", key: "11", labels: ["bug"], resolvedAt: "2026-03-31T23:59:59Z" },
      { source: "github", container: "acme/fraud-api", key: "12", labels: ["Bug"], resolvedAt: "2026-03-05T00:00:00Z", resolution: "not_planned" },
      { source: "github", container: "acme/fraud-api", key: "13", labels: ["enhancement"], resolvedAt: "2026-03-05T00:00:00Z" },
      { source: "github", container: "acme/fraud-model", key: "14", labels: ["BUG"], resolvedAt: "2026-03-06T00:00:00Z", resolution: null },
    ]);
    expect(await bugFixes.compute(store(), march)).toEqual([{ dimension: null, value: 4, sampleSize: 4 }]);
    expect(await eventIds(store(), bugFixes, march)).toEqual(["FRD-1", "acme/fraud-model#14", "FRD-2", "acme/fraud-api#11"]);
  });

  it("follows late updates: a close re-labelled not planned drops out, a reopened issue counts once at its final close", async () => {
    const base = { source: "github", container: "acme/fraud-api", key: "20", labels: ["bug"] };
    const update = async (item: Partial<Parameters<typeof workItem>[0]>, raw: string) =>
      upsertRecords(store(), workItems, [workItem({ ...base, ...item, raw: { state: raw } })]);
    await update({ resolvedAt: "2026-03-05T00:00:00Z" }, "closed");
    expect((await bugFixes.compute(store(), march))[0]!.value).toBe(1);
    await update({ resolvedAt: "2026-03-05T00:00:00Z", resolution: "not_planned" }, "not planned");
    expect((await bugFixes.compute(store(), march))[0]!.value).toBe(0);
    // Reopened on 8 March (GitHub clears closed_at), closed as completed again on 2 April.
    await update({ status: "open", resolution: "reopened", resolvedAt: null }, "reopened");
    expect((await bugFixes.compute(store(), march))[0]!.value).toBe(0);
    await update({ status: "closed", resolution: "completed", resolvedAt: "2026-04-02T00:00:00Z" }, "closed again");
    expect((await bugFixes.compute(store(), march))[0]!.value).toBe(0);
    const april = contextFor(config, "fraud", { from: "2026-04-01", to: "2026-04-30" });
    expect(await bugFixes.compute(store(), april)).toEqual([{ dimension: null, value: 1, sampleSize: 1 }]);
    expect(await eventIds(store(), bugFixes, april)).toEqual(["acme/fraud-api#20"]);
  });
});

describeEachDriver("features_shipped", (store) => {
  const march = contextFor(config, "fraud", { from: "2026-03-01", to: "2026-03-31" });

  it("counts an issue with two feature labels once, and Jira's three feature types", async () => {
    await insertWorkItems(store(), [
      { source: "github", container: "acme/fraud-api", key: "1", labels: ["enhancement", "feature"], resolvedAt: "2026-03-02T00:00:00Z" },
      { source: "github", container: "acme/fraud-api", key: "2", labels: ["feature"], resolvedAt: "2026-03-02T00:00:00Z", resolution: "not_planned" },
      { source: "jira", container: "FRD", key: "FRD-1", issueType: "Story", resolvedAt: "2026-03-03T00:00:00Z" },
      { source: "jira", container: "FRD", key: "FRD-2", issueType: "New Feature", resolvedAt: "2026-03-03T00:00:00Z" },
      { source: "jira", container: "FRD", key: "FRD-3", issueType: "Feature", resolvedAt: "2026-03-03T00:00:00Z", resolution: "Declined" },
      { source: "jira", container: "FRD", key: "FRD-4", issueType: "Epic", resolvedAt: "2026-03-03T00:00:00Z" },
    ]);
    expect(await featuresShipped.compute(store(), march)).toEqual([{ dimension: null, value: 3, sampleSize: 3 }]);
    expect(await eventIds(store(), featuresShipped, march)).toEqual(["acme/fraud-api#1", "FRD-1", "FRD-2"]);
  });

  it("reads the configured labels and types, and the configured not-done resolutions", async () => {
    const custom = testConfig(`
projects:
  - slug: p
    name: P
    github: { repos: [acme/p] }
    jira: { projects: [P] }
sources:
  github: { token: t, labels: { feature: [kind/feature] } }
  jira: { base_url: "https://jira.example", token: t, issue_types: { feature: [Improvement] }, not_done_resolutions: [Abandoned] }
`);
    await insertWorkItems(store(), [
      { source: "github", container: "acme/p", key: "1", labels: ["kind/feature"], resolvedAt: "2026-03-02T00:00:00Z" },
      { source: "github", container: "acme/p", key: "2", labels: ["feature"], resolvedAt: "2026-03-02T00:00:00Z" },
      { source: "jira", container: "P", key: "P-1", issueType: "Improvement", resolvedAt: "2026-03-03T00:00:00Z", resolution: "Won't Do" },
      { source: "jira", container: "P", key: "P-2", issueType: "Improvement", resolvedAt: "2026-03-03T00:00:00Z", resolution: "Abandoned" },
      { source: "jira", container: "P", key: "P-3", issueType: "Story", resolvedAt: "2026-03-03T00:00:00Z" },
    ]);
    const context = contextFor(custom, "p", { from: "2026-03-01", to: "2026-03-31" });
    expect(await eventIds(store(), featuresShipped, context)).toEqual(["acme/p#1", "P-1"]);
  });
});
