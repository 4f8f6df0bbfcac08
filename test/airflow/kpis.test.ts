/**
 * The data KPIs a synced Airflow gives, by hand (kpis.md, Data; "Reading the sources",
 * Airflow), through the report, on both API versions.
 *
 * January 1, 2026 (UTC), the scenario's DAGs (scenario.ts), successes only:
 *   transactions: 00:20:00.123456, 06:25, 18:15 (load_transactions; 12:40 failed), 23:00 (build_marts)
 *   chargebacks:  03:00 (ingest_chargebacks), 23:00 (build_marts)
 * Europe/Berlin, Sunday March 29, 2026 (23 hours: [Mar 28 23:00Z, Mar 29 22:00Z)), DAG
 * load_features → features: successes Mar 28 20:00Z (before), 23:30Z, Mar 29 06:00Z.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { buildReport, type Report } from "@/lib/report/build";
import { describeEachDriver } from "@/test/support/db";
import { FakeAirflow } from "./fake-airflow";
import { parseConfig } from "@/lib/config/load";
import { scheduled, seedDags, syncAirflow } from "./scenario";

const entry = (report: Report, id: string, dimension: string | null = null) => {
  const found = report.kpis.find((kpi) => kpi.id === id && kpi.dimension === dimension);
  if (!found) throw new Error(`no ${id} ${dimension ?? ""} entry`);
  return found.value;
};

for (const version of [1, 2] as const) {
  describeEachDriver(`data KPIs from a synced Airflow (API v${version})`, (store) => {
    let airflow: FakeAirflow;
    beforeEach(async () => {
      airflow = await new FakeAirflow(version).start();
      seedDags(airflow);
      airflow.addRun("load_features", scheduled("2026-03-28T19:00:00", "success", "2026-03-28T20:00:00.000000"));
      airflow.addRun("load_features", scheduled("2026-03-28T23:00:00", "success", "2026-03-28T23:30:00.000000"));
      airflow.addRun("load_features", scheduled("2026-03-29T05:00:00", "failed", "2026-03-29T05:30:00.000000"));
      airflow.addRun("load_features", scheduled("2026-03-29T05:40:00", "success", "2026-03-29T06:00:00.000000"));
    });
    afterEach(() => airflow.close());

    const config = () =>
      parseConfig(
        `timezone: UTC
projects:
  - slug: payments
    name: Payments
    datasets: [transactions, chargebacks]
  - slug: features
    name: Features
    timezone: Europe/Berlin
    datasets: [features]
sources:
  airflow:
    base_url: ${airflow.url}
    api_version: ${version}
    username: shipshape
    password: airflow-secret
    datasets: { transactions: [load_transactions, build_marts], chargebacks: [ingest_chargebacks, build_marts], features: [load_features] }
`,
        "shipshape.yaml",
        {},
      );

    it("January 1 in UTC: refreshes per day per dataset (the project the lowest) and the longest gap (the project the largest)", async () => {
      expect((await syncAirflow(store(), config())).errors).toEqual([]);
      const day = await buildReport(store(), config(), { project: "payments", from: "2026-01-01", to: "2026-01-01" });
      expect(entry(day, "data_refresh_frequency", "transactions")).toBe(4);
      expect(entry(day, "data_refresh_frequency", "chargebacks")).toBe(2);
      expect(entry(day, "data_refresh_frequency")).toBe(2);
      // transactions: 00:00→00:20:00.123456, →06:25, →18:15 (the failed 12:40 is no refresh), →23:00, →24:00: the longest 11 h 50 min.
      expect(entry(day, "data_freshness_lag", "transactions")).toBeCloseTo(71 / 6, 9);
      // chargebacks: 00:00→03:00, →23:00 (20 h), →24:00.
      expect(entry(day, "data_freshness_lag", "chargebacks")).toBeCloseTo(20, 9);
      expect(entry(day, "data_freshness_lag")).toBeCloseTo(20, 9);
      // Airflow gives refreshes, never quality issues.
      expect(entry(day, "data_quality_issues")).toBe(0);

      // Jan 1–2 (2 days): transactions 4 + 00:30 on the 2nd = 5 → 2.5/day; chargebacks 2 + 03:00 → 1.5/day.
      const twoDays = await buildReport(store(), config(), { project: "payments", from: "2026-01-01", to: "2026-01-02" });
      expect(entry(twoDays, "data_refresh_frequency", "transactions")).toBe(2.5);
      expect(entry(twoDays, "data_refresh_frequency")).toBe(1.5);
      // chargebacks from Jan 2 03:00 to the window end (Jan 3 00:00): 21 h, longer than the 20 h of Jan 1.
      expect(entry(twoDays, "data_freshness_lag", "chargebacks")).toBeCloseTo(21, 9);
    });

    it("Sunday March 29 in Europe/Berlin (23 hours): the gap runs to 22:00Z, the window's real end", async () => {
      expect((await syncAirflow(store(), config())).errors).toEqual([]);
      const sunday = await buildReport(store(), config(), { project: "features", from: "2026-03-29", to: "2026-03-29" });
      expect(sunday.days).toBe(1);
      // 23:30Z and 06:00Z; the failed run of 05:30Z is none.
      expect(entry(sunday, "data_refresh_frequency", "features")).toBe(2);
      // From the last success before the window (20:00Z): 3.5 h, 6.5 h, then 06:00Z→22:00Z = 16 h (not 17: the day has 23 hours).
      expect(entry(sunday, "data_freshness_lag", "features")).toBeCloseTo(16, 9);
      // The same day in UTC: [Mar 29 00:00Z, Mar 30 00:00Z): one refresh (06:00Z); from 23:30Z before it, 6.5 h, then 18 h.
      const utc = await buildReport(store(), config(), { project: "features", from: "2026-03-29", to: "2026-03-29", tz: "UTC" });
      expect(entry(utc, "data_refresh_frequency", "features")).toBe(1);
      expect(entry(utc, "data_freshness_lag", "features")).toBeCloseTo(18, 9);
    });
  });
}
