import { expect, it } from "vitest";
import { kpiIds } from "@/lib/kpis/ids";
import { buildReport } from "@/lib/report/build";
import { reportCsv } from "@/lib/report/csv";
import { kpiEvents } from "@/lib/report/events";
import { setTarget } from "@/lib/targets/store";
import { describeEachDriver } from "@/test/support/db";
import { refusal } from "@/test/support/refusal";
import { testConfig } from "@/test/support/config";
import { deployment, insertDeployments, insertReleases } from "@/test/support/records";
import { shiftDate } from "@/lib/time/window";

const config = testConfig();
const march = { project: "fraud", from: "2026-03-01", to: "2026-03-10" };

describeEachDriver("buildReport", (store) => {
  it("lists every catalog KPI in catalog order, project entry first, with the contract's fields", async () => {
    const report = await buildReport(store(), config, march);
    expect(Object.keys(report)).toEqual(["project", "from", "to", "timezone", "days", "kpis", "scores"]);
    expect(report).toMatchObject({ project: "fraud", from: "2026-03-01", to: "2026-03-10", timezone: "UTC", days: 10 });
    expect([...new Set(report.kpis.map((entry) => entry.id))]).toEqual(kpiIds);
    for (const entry of report.kpis) {
      expect(Object.keys(entry)).toEqual(["id", "pillar", "unit", "dimension", "value", "sample_size", "previous", "target", "status", "band", "coverage", "forecast"]);
    }
    for (const id of kpiIds) expect(report.kpis.find((entry) => entry.id === id)!.dimension).toBeNull();
    // Per-dimension entries follow their KPI's project entry (model_sla_compliance: one per model).
    const sla = report.kpis.filter((entry) => entry.id === "model_sla_compliance").map((entry) => entry.dimension);
    expect(sla).toEqual([null, "fraud-nn", "fraud-xgb"]);
    expect(report.kpis.find((entry) => entry.id === "lead_time_for_changes")).toEqual({
      id: "lead_time_for_changes",
      pillar: "delivery",
      unit: "hours",
      dimension: null,
      value: null,
      sample_size: 0,
      previous: null,
      target: null,
      status: "no_data",
      band: null,
      coverage: { deployments: 0, without_commit: 0 },
      forecast: null,
    });
    expect(report.kpis.find((entry) => entry.id === "releases")).toMatchObject({ value: 0, status: "no_target", band: null, coverage: null });
  });

  it("carries the previous window's value, the target in force at the window's end, its status and the band", async () => {
    await insertDeployments(store(), [
      deployment("prev-1", "2026-02-19T00:00:00Z"), // the previous window is 2026-02-19..28
      deployment("prev-2", "2026-02-28T23:59:59Z"),
      deployment("too-early", "2026-02-18T23:59:59Z"),
      ...["02", "03", "04", "05", "06"].map((day) => deployment(`now-${day}`, `2026-03-${day}T12:00:00Z`)),
    ]);
    await setTarget(store(), config, { project: "fraud", kpi: "deployment_frequency", value: 0.52, warn: 0.05, setBy: "po" }, new Date("2026-03-01T00:00:00Z"));
    // Changed after the window ended: a report for March 1–10 is judged against 0.52.
    await setTarget(store(), config, { project: "fraud", kpi: "deployment_frequency", value: 0.4, setBy: "po" }, new Date("2026-03-11T00:00:00Z"));
    await setTarget(store(), config, { project: "fraud", kpi: "change_failure_rate", value: 10, setBy: "po" }, new Date("2026-03-01T00:00:00Z"));
    const report = await buildReport(store(), config, march);
    expect(report.kpis.find((entry) => entry.id === "deployment_frequency")).toEqual({
      id: "deployment_frequency",
      pillar: "delivery",
      unit: "per_day",
      dimension: null,
      value: 0.5,
      sample_size: 5,
      previous: 0.2,
      target: { value: 0.52, warn: 0.05 },
      status: "at_risk",
      band: "high",
      coverage: null,
      forecast: null,
    });
    expect(report.kpis.find((entry) => entry.id === "change_failure_rate")).toMatchObject({ value: 0, previous: 0, status: "met", band: "elite" });
    const next = await buildReport(store(), config, { project: "fraud", from: "2026-03-11", to: "2026-03-20" });
    expect(next.kpis.find((entry) => entry.id === "deployment_frequency")).toMatchObject({ value: 0, previous: 0.5, target: { value: 0.4 }, status: "missed", band: "low" });
  });

  it("forecasts each target with a due date from the weekly series up to the window's end; other entries have forecast null", async () => {
    // Week i (Mondays 2026-01-05 … 2026-03-23, i = 0…11) has i + 1 deployments on its Wednesday: (i + 1) / 7 per day.
    const records = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: i + 1 }, (_, k) => deployment(`w${i}-${k}`, `${shiftDate("2026-01-07", 7 * i)}T1${k % 10}:00:00Z`)),
    ).flat();
    await insertDeployments(store(), records);
    const set = new Date("2026-01-01T00:00:00Z");
    await setTarget(store(), config, { project: "fraud", kpi: "deployment_frequency", value: 2, owner: "Ana Lima", due: "2026-04-23", setBy: "po" }, set);
    await setTarget(store(), config, { project: "fraud", kpi: "releases", value: 3, owner: "Bo", setBy: "po" }, set);
    const report = await buildReport(store(), config, { project: "fraud", from: "2026-03-02", to: "2026-03-29" });
    const frequency = report.kpis.find((entry) => entry.id === "deployment_frequency")!;
    expect(frequency.target).toEqual({ value: 2, warn: 0.2, owner: "Ana Lima", due: "2026-04-23" });
    // A straight line: (i + 1) / 7 at i = 15 (Thursday 23 April, four weeks after the last week's Thursday) is 16 / 7.
    expect(frequency.forecast).toMatchObject({ due: "2026-04-23", status: "on_track" });
    expect(frequency.forecast!.value).toBeCloseTo(16 / 7, 9);
    expect(frequency.forecast!.low).toBeCloseTo(16 / 7, 9);
    expect(report.kpis.find((entry) => entry.id === "releases")).toMatchObject({ target: { value: 3, warn: 0.3, owner: "Bo" }, forecast: null });
    expect(report.kpis.filter((entry) => entry.forecast !== null).map((entry) => entry.id)).toEqual(["deployment_frequency"]);
    // A window ending Wednesday 25 March reads the weeks of 29 Dec (no deployments: 0, on the same line) to 16 March: the same projection.
    const earlier = await buildReport(store(), config, { project: "fraud", from: "2026-03-01", to: "2026-03-25" });
    expect(earlier.kpis[0]!.forecast!.value).toBeCloseTo(16 / 7, 9);
    // Lead time has no value in a week without commits: not enough data.
    await setTarget(store(), config, { project: "fraud", kpi: "lead_time_for_changes", value: 24, due: "2026-04-23", setBy: "po" }, set);
    const noCommits = await buildReport(store(), config, { project: "fraud", from: "2026-03-02", to: "2026-03-29" });
    expect(noCommits.kpis.find((entry) => entry.id === "lead_time_for_changes")!.forecast).toEqual({ due: "2026-04-23", value: null, low: null, high: null, status: "not_enough_data" });
  });

  it("forecasts a count per window of the report's length: a week's count times its weeks", async () => {
    // Two releases every week from 2026-01-05: 2 a week, 8 in 28 days, 4 in 14 days.
    const releases = Array.from({ length: 12 }, (_, i) => [0, 1].map((k) => ({ repo: "acme/fraud-api", tag: `v${i}.${k}`, publishedAt: `${shiftDate("2026-01-06", 7 * i)}T1${k}:00:00Z` }))).flat();
    await insertReleases(store(), releases);
    await setTarget(store(), config, { project: "fraud", kpi: "releases", value: 6, due: "2026-04-30", setBy: "po" }, new Date("2026-01-01T00:00:00Z"));
    const forecast = async (from: string) => (await buildReport(store(), config, { project: "fraud", from, to: "2026-03-29" })).kpis.find((e) => e.id === "releases")!.forecast;
    expect(await forecast("2026-03-02")).toEqual({ due: "2026-04-30", value: 8, low: 8, high: 8, status: "on_track" });
    expect(await forecast("2026-03-16")).toEqual({ due: "2026-04-30", value: 4, low: 4, high: 4, status: "off_track" });
  });

  it("defaults to the last 28 days ending yesterday in the project's zone, and takes another zone", async () => {
    const now = new Date("2026-03-11T03:00:00Z"); // still 10 March in New York
    expect(await buildReport(store(), config, { project: "fraud", now })).toMatchObject({ from: "2026-02-11", to: "2026-03-10", timezone: "UTC", days: 28 });
    expect(await buildReport(store(), config, { project: "churn", now })).toMatchObject({ from: "2026-02-10", to: "2026-03-09", timezone: "America/New_York", days: 28 });
    expect(await buildReport(store(), config, { project: "fraud", to: "2026-01-31", now })).toMatchObject({ from: "2026-01-04", to: "2026-01-31", days: 28 });
    const berlin = await buildReport(store(), config, { project: "fraud", from: "2026-03-01", to: "2026-03-31", tz: "Europe/Berlin" });
    expect(berlin).toMatchObject({ timezone: "Europe/Berlin", days: 31 });
  });

  it("refuses an unknown project (not found), a bad date, from after to and an unknown zone (bad request)", async () => {
    expect(await refusal(buildReport(store(), config, { project: "nope" }))).toEqual({
      kind: "not_found",
      message: 'unknown project "nope" (projects: fraud, churn)',
    });
    expect(await refusal(buildReport(store(), config, { ...march, from: "2026-02-30" }))).toEqual({
      kind: "invalid",
      message: "from: must be a date YYYY-MM-DD",
    });
    expect(await refusal(buildReport(store(), config, { ...march, to: "10/03/2026" }))).toMatchObject({ kind: "invalid" });
    expect(await refusal(buildReport(store(), config, { ...march, from: "2026-03-11" }))).toEqual({
      kind: "invalid",
      message: "from (2026-03-11) is after to (2026-03-10)",
    });
    expect(await refusal(buildReport(store(), config, { ...march, tz: "Mars/Olympus" }))).toEqual({
      kind: "invalid",
      message: "tz: is not an IANA time zone name (e.g. Europe/Berlin)",
    });
    expect(await refusal(kpiEvents(store(), config, { ...march, kpi: "happiness" }))).toMatchObject({ kind: "not_found" });
  });

  it("drills down into the events of one value, with its breakdown", async () => {
    await insertDeployments(store(), [
      deployment("d1", "2026-03-02T12:00:00Z", { version: "1.4.0" }),
      deployment("failed", "2026-03-03T12:00:00Z", { status: "failure" }),
    ]);
    expect(await kpiEvents(store(), config, { ...march, kpi: "deployment_frequency" })).toEqual({
      project: "fraud",
      kpi: "deployment_frequency",
      dimension: null,
      from: "2026-03-01",
      to: "2026-03-10",
      timezone: "UTC",
      days: 10,
      value: 0.1,
      sample_size: 1,
      breakdown: { failed_rollouts: 1 },
      events: [
        { kind: "deployment", id: "d1", at: "2026-03-02T12:00:00.000Z", dimension: null, value: null, title: "fraud-api 1.4.0", url: null, source: "deploy_log" },
      ],
    });
  });

  it("writes the report as CSV: a header and one row per entry, empty cells for nulls", async () => {
    const report = await buildReport(store(), config, march);
    const lines = reportCsv(report).trimEnd().split("\n");
    expect(lines[0]).toBe(
      "project,from,to,timezone,days,id,pillar,unit,dimension,value,sample_size,previous,target,warn,status,band,coverage_deployments,coverage_without_commit," +
        "owner,due,forecast_value,forecast_low,forecast_high,forecast_status",
    );
    expect(lines).toHaveLength(report.kpis.length + 1);
    expect(lines[1]).toBe("fraud,2026-03-01,2026-03-10,UTC,10,deployment_frequency,delivery,per_day,,0,0,0,,,no_target,low,,,,,,,,");
    expect(lines[2]).toBe("fraud,2026-03-01,2026-03-10,UTC,10,lead_time_for_changes,delivery,hours,,,0,,,,no_data,,0,0,,,,,,");
    // A target with an owner and a due date, and its forecast: a flat week of 0 deployments, six weeks and more.
    await setTarget(store(), config, { project: "fraud", kpi: "deployment_frequency", value: 1, owner: "Ana, Lima", due: "2026-04-30", setBy: "po" }, new Date("2026-01-01T00:00:00Z"));
    const owned = reportCsv(await buildReport(store(), config, march)).split("\n")[1];
    expect(owned).toBe('fraud,2026-03-01,2026-03-10,UTC,10,deployment_frequency,delivery,per_day,,0,0,0,1,0.1,missed,low,,,"Ana, Lima",2026-04-30,0,0,0,off_track');
  });
});
