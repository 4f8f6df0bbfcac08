import { expect, it } from "vitest";
import { dataRefreshes } from "@/db/schema";
import { upsertRecords } from "@/db/upsert";
import { dataAccessTime } from "@/lib/kpis/definitions/data-access-time";
import { dataFreshnessLag } from "@/lib/kpis/definitions/data-freshness-lag";
import { dataQualityIssues } from "@/lib/kpis/definitions/data-quality-issues";
import { dataRefreshFrequency } from "@/lib/kpis/definitions/data-refresh-frequency";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";
import { insertQualityIssues, insertRefreshes, insertWorkItems } from "@/test/support/records";
import { contextFor, eventIds } from "@/test/kpis/support";

const config = testConfig();
// Ten days, UTC: [2026-03-01T00:00Z, 2026-03-11T00:00Z), 240 hours.
const tenDays = (now?: string) => contextFor(config, "fraud", { from: "2026-03-01", to: "2026-03-10", now });

describeEachDriver("data_refresh_frequency", (store) => {
  it("lists every configured dataset at 0 over an empty window; the project entry is the lowest", async () => {
    expect(await dataRefreshFrequency.compute(store(), tenDays())).toEqual([
      { dimension: null, value: 0, sampleSize: 0 },
      { dimension: "chargebacks", value: 0, sampleSize: 0 },
      { dimension: "transactions", value: 0, sampleSize: 0 },
    ]);
  });

  it("divides successful refreshes finishing in the window by its days, per dataset", async () => {
    await insertRefreshes(store(), [
      { dataset: "transactions", finishedAt: "2026-03-01T00:00:00Z" }, // first instant
      { dataset: "transactions", finishedAt: "2026-03-03T00:00:00Z" },
      { dataset: "transactions", finishedAt: "2026-03-05T00:00:00Z" },
      { dataset: "transactions", finishedAt: "2026-03-07T00:00:00Z" },
      { dataset: "transactions", finishedAt: "2026-03-10T23:59:59Z" },
      { dataset: "transactions", finishedAt: "2026-03-11T00:00:00Z" }, // window end: out
      { dataset: "transactions", finishedAt: "2026-03-06T00:00:00Z", status: "failure" },
      { dataset: "chargebacks", finishedAt: "2026-03-02T00:00:00Z", externalId: "cb-1" },
      { dataset: "chargebacks", finishedAt: "2026-03-09T00:00:00Z", externalId: "cb-2" },
      { dataset: "unlisted", finishedAt: "2026-03-02T00:00:00Z" },
    ]);
    expect(await dataRefreshFrequency.compute(store(), tenDays())).toEqual([
      { dimension: null, value: 0.2, sampleSize: 2 },
      { dimension: "chargebacks", value: 0.2, sampleSize: 2 },
      { dimension: "transactions", value: 0.5, sampleSize: 5 },
    ]);
    // The project entry's events are the weakest dataset's.
    expect(await eventIds(store(), dataRefreshFrequency, tenDays())).toEqual(["cb-1", "cb-2"]);
    expect(await eventIds(store(), dataRefreshFrequency, tenDays(), "transactions")).toHaveLength(5);
  });

  it("counts a refresh stored twice once", async () => {
    const refresh = { source: "deploy_log", externalId: "transactions|success|2026-03-02", raw: {}, dataset: "transactions", status: "success", finishedAt: "2026-03-02T00:00:00Z" };
    await upsertRecords(store(), dataRefreshes, [refresh, refresh]);
    await upsertRecords(store(), dataRefreshes, [refresh]);
    expect((await dataRefreshFrequency.compute(store(), tenDays()))[2]).toEqual({ dimension: "transactions", value: 0.1, sampleSize: 1 });
  });

  it("counts a DST day as one day (Berlin, 29 March 2026: 23 hours)", async () => {
    await insertRefreshes(store(), [
      { dataset: "transactions", finishedAt: "2026-03-28T23:00:00Z" }, // 00:00 CET on the 29th: in
      { dataset: "transactions", finishedAt: "2026-03-29T21:59:59Z" }, // 23:59:59 CEST: in
      { dataset: "transactions", finishedAt: "2026-03-29T22:00:00Z" }, // 00:00 CEST on the 30th: out
    ]);
    const day = contextFor(config, "fraud", { from: "2026-03-29", to: "2026-03-29", timezone: "Europe/Berlin" });
    expect((await dataRefreshFrequency.compute(store(), day))[2]).toEqual({ dimension: "transactions", value: 2, sampleSize: 2 });
  });
});

describeEachDriver("data_freshness_lag", (store) => {
  it("is the longest gap between successes, from the last success before the window to the window end", async () => {
    await insertRefreshes(store(), [
      { dataset: "transactions", finishedAt: "2026-02-20T00:00:00Z" },
      { dataset: "transactions", finishedAt: "2026-02-27T00:00:00Z" }, // last success before the window
      { dataset: "transactions", finishedAt: "2026-02-28T00:00:00Z", status: "failure" },
      { dataset: "transactions", finishedAt: "2026-03-02T00:00:00Z" }, // 72 h after the 27th
      { dataset: "transactions", finishedAt: "2026-03-05T12:00:00Z" }, // 84 h later; then 132 h to the end
      { dataset: "transactions", finishedAt: "2026-03-08T00:00:00Z", status: "failure" },
      { dataset: "transactions", finishedAt: "2026-03-12T00:00:00Z" }, // after the window
    ]);
    // chargebacks never refreshed: the whole window, 240 h.
    expect(await dataFreshnessLag.compute(store(), tenDays())).toEqual([
      { dimension: null, value: 240, sampleSize: 1 },
      { dimension: "chargebacks", value: 240, sampleSize: 1 },
      { dimension: "transactions", value: 132, sampleSize: 3 },
    ]);
    const gaps = await dataFreshnessLag.events(store(), tenDays(), "transactions");
    expect(gaps.map((gap) => [gap.kind, gap.at, gap.value])).toEqual([
      ["gap", "2026-02-27T00:00:00.000Z", 72],
      ["gap", "2026-03-02T00:00:00.000Z", 84],
      ["gap", "2026-03-05T12:00:00.000Z", 132],
    ]);
    expect(gaps[2]!.title).toBe("no successful refresh until the window end, 2026-03-11T00:00:00.000Z");
    expect(await dataFreshnessLag.events(store(), tenDays(), null)).toEqual([
      expect.objectContaining({ id: "chargebacks 2026-03-01T00:00:00.000Z", dimension: "chargebacks", value: 240 }),
    ]);
  });

  it("counts from the last success long before a window without refreshes (and refresh frequency is 0)", async () => {
    await insertRefreshes(store(), [
      { dataset: "transactions", finishedAt: "2026-02-01T00:00:00Z" },
      { dataset: "chargebacks", finishedAt: "2026-02-28T00:00:00Z" },
      { dataset: "chargebacks", finishedAt: "2026-03-01T00:00:00Z" }, // exactly at the window start
    ]);
    expect(await dataFreshnessLag.compute(store(), tenDays())).toEqual([
      { dimension: null, value: 28 * 24 + 240, sampleSize: 1 },
      { dimension: "chargebacks", value: 240, sampleSize: 2 }, // 24 h up to the start, then 240 h
      { dimension: "transactions", value: 28 * 24 + 240, sampleSize: 1 },
    ]);
    expect((await dataRefreshFrequency.compute(store(), tenDays()))[0]).toEqual({ dimension: null, value: 0, sampleSize: 0 });
  });

  it("stops at now inside the window, and has no value before the window starts", async () => {
    await insertRefreshes(store(), [
      { dataset: "transactions", finishedAt: "2026-02-26T00:00:00Z" },
      { dataset: "transactions", finishedAt: "2026-03-02T00:00:00Z" }, // 96 h after the 26th; 48 h more up to now
      { dataset: "transactions", finishedAt: "2026-03-05T00:00:00Z" }, // after now: not seen yet
    ]);
    const running = tenDays("2026-03-04T00:00:00Z");
    expect(await dataFreshnessLag.compute(store(), running)).toEqual([
      { dimension: null, value: 96, sampleSize: 2 },
      { dimension: "chargebacks", value: 72, sampleSize: 1 },
      { dimension: "transactions", value: 96, sampleSize: 2 },
    ]);
    expect((await dataFreshnessLag.events(store(), running, "chargebacks"))[0]!.title).toBe(
      "no successful refresh until now, 2026-03-04T00:00:00.000Z",
    );
    expect(await dataFreshnessLag.compute(store(), tenDays("2026-02-15T00:00:00Z"))).toEqual([
      { dimension: null, value: null, sampleSize: 0 },
      { dimension: "chargebacks", value: null, sampleSize: 0 },
      { dimension: "transactions", value: null, sampleSize: 0 },
    ]);
  });

  it("counts real hours over DST days: 23 in Berlin on 29 March, 25 in New York on 1 November", async () => {
    const berlin = contextFor(config, "fraud", { from: "2026-03-29", to: "2026-03-29", timezone: "Europe/Berlin" });
    expect((await dataFreshnessLag.compute(store(), berlin))[0]!.value).toBe(23);
    const newYork = contextFor(config, "churn", { from: "2026-11-01", to: "2026-11-01" });
    expect(await dataFreshnessLag.compute(store(), newYork)).toEqual([
      { dimension: null, value: 25, sampleSize: 1 },
      { dimension: "events", value: 25, sampleSize: 1 },
    ]);
  });
});

describeEachDriver("data_quality_issues", (store) => {
  it("is 0 over an empty window", async () => {
    expect(await dataQualityIssues.compute(store(), tenDays())).toEqual([{ dimension: null, value: 0, sampleSize: 0 }]);
  });

  it("counts deployment-log records and labelled issues opened in the window, each once", async () => {
    await insertQualityIssues(store(), [
      { externalId: "dq-1", dataset: "transactions", detectedAt: "2026-03-01T00:00:00Z", description: "nulls in amount" },
      { externalId: "dq-2", dataset: "chargebacks", detectedAt: "2026-03-05T00:00:00Z", resolvedAt: "2026-03-06T00:00:00Z" },
      { externalId: "dq-3", dataset: "transactions", detectedAt: "2026-03-11T00:00:00Z" }, // window end
      { externalId: "dq-4", dataset: "events", detectedAt: "2026-03-05T00:00:00Z" }, // another project's dataset
    ]);
    await insertWorkItems(store(), [
      { source: "jira", container: "FRD", key: "FRD-1", labels: ["data-quality"], createdAt: "2026-03-02T00:00:00Z" }, // open
      { source: "github", container: "acme/fraud-api", key: "5", labels: ["data-quality", "Data-Quality"], createdAt: "2026-03-03T00:00:00Z" },
      { source: "github", container: "acme/fraud-api", key: "6", labels: ["data-quality"], createdAt: "2026-03-04T00:00:00Z",
        resolvedAt: "2026-03-05T00:00:00Z", resolution: "not_planned" }, // still opened in the window
      { source: "github", container: "acme/fraud-api", key: "7", labels: ["data-quality"], createdAt: "2026-03-04T00:00:00Z",
        resolvedAt: "2026-03-05T00:00:00Z", resolution: "duplicate" }, // duplicate of another: not again
      { source: "github", container: "acme/fraud-api", key: "8", labels: ["data-quality"], createdAt: "2026-02-28T23:59:59Z" },
      { source: "github", container: "acme/fraud-api", key: "9", labels: ["bug"], createdAt: "2026-03-04T00:00:00Z" },
      { source: "jira", container: "CHN", key: "CHN-1", labels: ["data-quality"], createdAt: "2026-03-04T00:00:00Z" },
    ]);
    expect(await dataQualityIssues.compute(store(), tenDays())).toEqual([{ dimension: null, value: 5, sampleSize: 5 }]);
    const events = await dataQualityIssues.events(store(), tenDays(), null);
    expect(events.map((e) => [e.kind, e.id])).toEqual([
      ["data_quality_issue", "dq-1"],
      ["work_item", "FRD-1"],
      ["work_item", "acme/fraud-api#5"],
      ["work_item", "acme/fraud-api#6"],
      ["data_quality_issue", "dq-2"],
    ]);
    expect(events[0]!.title).toBe("transactions: nulls in amount");
  });
});

describeEachDriver("data_access_time", (store) => {
  const request = (key: string, createdAt: string, resolvedAt: string | undefined, extra = {}) => ({
    source: "jira", container: "FRD", key, issueType: "Access Request", createdAt, resolvedAt, ...extra,
  });

  it("is null with no request resolved in the window", async () => {
    await insertWorkItems(store(), [request("FRD-1", "2026-03-02T00:00:00Z", undefined)]);
    expect(await dataAccessTime.compute(store(), tenDays())).toEqual([{ dimension: null, value: null, sampleSize: 0 }]);
  });

  it("is the one sample, then the mean of two middle samples", async () => {
    await insertWorkItems(store(), [request("FRD-1", "2026-03-02T00:00:00Z", "2026-03-03T12:00:00Z")]); // 36 h
    expect(await dataAccessTime.compute(store(), tenDays())).toEqual([{ dimension: null, value: 36, sampleSize: 1 }]);
    await insertWorkItems(store(), [
      request("FRD-2", "2026-03-04T00:00:00Z", "2026-03-04T10:00:00Z", { issueType: "Task", labels: ["data-access"] }), // 10 h
    ]);
    expect(await dataAccessTime.compute(store(), tenDays())).toEqual([{ dimension: null, value: 23, sampleSize: 2 }]);
    await insertWorkItems(store(), [request("FRD-3", "2026-02-20T00:00:00Z", "2026-03-11T00:00:00Z")]); // resolved at the window end: out
    await insertWorkItems(store(), [request("FRD-4", "2026-02-20T00:00:00Z", "2026-03-01T00:00:00Z")]); // 216 h, first instant: in
    expect(await dataAccessTime.compute(store(), tenDays())).toEqual([{ dimension: null, value: 36, sampleSize: 3 }]);
    expect((await dataAccessTime.events(store(), tenDays(), null)).map((e) => [e.id, e.value])).toEqual([
      ["FRD-4", 216],
      ["FRD-1", 36],
      ["FRD-2", 10],
    ]);
  });

  it("leaves out requests declined or closed as won't do, GitHub issues, and other projects", async () => {
    await insertWorkItems(store(), [
      request("FRD-1", "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z", { resolution: "Declined" }),
      request("FRD-2", "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z", { resolution: "Won't Do" }),
      request("CHN-1", "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z", { container: "CHN" }),
      { source: "github", container: "acme/fraud-api", key: "3", labels: ["data-access"], createdAt: "2026-03-02T00:00:00Z", resolvedAt: "2026-03-03T00:00:00Z" },
    ]);
    expect(await dataAccessTime.compute(store(), tenDays())).toEqual([{ dimension: null, value: null, sampleSize: 0 }]);
  });

  it("measures real hours across a DST change (Berlin, 28 → 29 March noon to noon: 23 hours)", async () => {
    await insertWorkItems(store(), [request("FRD-1", "2026-03-28T11:00:00Z", "2026-03-29T10:00:00Z")]);
    const week = contextFor(config, "fraud", { from: "2026-03-23", to: "2026-03-29", timezone: "Europe/Berlin" });
    expect(await dataAccessTime.compute(store(), week)).toEqual([{ dimension: null, value: 23, sampleSize: 1 }]);
  });
});
