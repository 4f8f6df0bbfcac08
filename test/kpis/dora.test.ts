/**
 * DORA's own scales: the band sets of the 2021, 2023 and 2024 reports at every boundary, and
 * the Quick Check scores — its own published test expectations first, then the measured value
 * → answer ranges at each boundary, by hand.
 */
import { describe, expect, it } from "vitest";
import { doraBand, type DoraBandSet } from "@/lib/kpis/dora/bands";
import { answerScore, benchmark2025, durationAnswer, frequencyAnswer, percentScore, quickCheckScores } from "@/lib/kpis/dora/quick-check";
import { buildReport } from "@/lib/report/build";
import { describeEachDriver } from "@/test/support/db";
import { deployment, incident, insertDeployments, insertIncidents } from "@/test/support/records";
import { CONFIG_YAML, testConfig } from "@/test/support/config";

const bands = (set: DoraBandSet, kpi: string, values: number[]) => values.map((value) => doraBand(kpi, value, set));
const HOURS_IN_30_DAYS = 720;
const HOURS_IN_180_DAYS = 4320;

describe("DORA bands, 2023 (the default; kpis.md)", () => {
  it("deployment frequency: ≥ 1 a day elite, ≥ 1 a week high, ≥ 1 in 30 days medium, else low", () => {
    expect(bands("2023", "deployment_frequency", [1, 0.99, 1 / 7, 0.14, 1 / 30, 0.033, 0])).toEqual([
      "elite",
      "high",
      "high",
      "medium",
      "medium",
      "low",
      "low",
    ]);
    expect(doraBand("deployment_frequency", 1 / 7)).toBe("high");
  });
  it("lead time: < 24 h elite, < 168 h high, < 720 h medium, else low", () => {
    expect(bands("2023", "lead_time_for_changes", [23.9, 24, 167.9, 168, 719, 720])).toEqual(["elite", "high", "high", "medium", "medium", "low"]);
  });
  it("change failure rate: ≤ 5 % elite, ≤ 10 % high, ≤ 15 % medium, else low", () => {
    expect(bands("2023", "change_failure_rate", [0, 5, 5.1, 10, 15, 15.1])).toEqual(["elite", "elite", "high", "high", "medium", "low"]);
  });
  it("time to restore: < 1 h elite, < 24 h high, < 168 h medium, else low", () => {
    expect(bands("2023", "time_to_restore", [0.5, 1, 23.9, 24, 167.9, 168])).toEqual(["elite", "high", "high", "medium", "medium", "low"]);
  });
  it("has no band for the other KPIs (rework rate, mttr)", () => {
    expect([doraBand("rework_rate", 1), doraBand("mttr", 1), doraBand("releases", 3)]).toEqual([null, null, null]);
  });
});

describe("DORA bands, 2021", () => {
  it("deployment frequency: ≥ 1 a day elite, ≥ 1 in 30 days high (the gap up to daily too), ≥ 1 in 180 days medium, else low", () => {
    expect(bands("2021", "deployment_frequency", [1, 0.99, 1 / 7, 1 / 30, 0.033, 1 / 180, 0.0055, 0])).toEqual([
      "elite",
      "high",
      "high",
      "high",
      "medium",
      "medium",
      "low",
      "low",
    ]);
  });
  it("lead time: < 1 h elite, < 1 week high (the 1 h – 1 day gap too), < 6 months medium (the 1 week – 1 month gap too), else low", () => {
    expect(bands("2021", "lead_time_for_changes", [0.99, 1, 12, 167.9, 168, HOURS_IN_30_DAYS, HOURS_IN_180_DAYS - 0.1, HOURS_IN_180_DAYS])).toEqual([
      "elite",
      "high",
      "high",
      "high",
      "medium",
      "medium",
      "medium",
      "low",
    ]);
  });
  it("change failure rate: ≤ 15 % elite, ≤ 30 % high (medium and low share high's 16–30 %), above low", () => {
    expect(bands("2021", "change_failure_rate", [0, 15, 15.1, 30, 30.1])).toEqual(["elite", "elite", "high", "high", "low"]);
  });
  it("time to restore: < 1 h elite, < 1 day high, < 1 week medium, else low", () => {
    expect(bands("2021", "time_to_restore", [0.99, 1, 23.9, 24, 167.9, 168])).toEqual(["elite", "high", "high", "medium", "medium", "low"]);
  });
});

describe("DORA bands, 2024", () => {
  it("deployment frequency and lead time as 2023", () => {
    expect(bands("2024", "deployment_frequency", [1, 0.99, 1 / 7, 0.14, 1 / 30, 0.033])).toEqual(["elite", "high", "high", "medium", "medium", "low"]);
    expect(bands("2024", "lead_time_for_changes", [23.9, 24, 167.9, 168, 719, 720])).toEqual(["elite", "high", "high", "medium", "medium", "low"]);
  });
  it("change failure rate: ≤ 5 % elite, ≤ 20 % high, else low (medium's 10 % is inside high's 20 %)", () => {
    expect(bands("2024", "change_failure_rate", [5, 5.1, 10, 20, 20.1, 40])).toEqual(["elite", "high", "high", "high", "low", "low"]);
  });
  it("time to restore: < 1 h elite, < 1 day high (medium's limit is the same day), else low", () => {
    expect(bands("2024", "time_to_restore", [0.99, 1, 23.9, 24, 167.9, 720])).toEqual(["elite", "high", "high", "low", "low", "low"]);
  });
});

describe("Quick Check scores", () => {
  it("meets the Quick Check's own test expectations (data-service.test.ts)", () => {
    // Categorical answers 1 → 0, 6 → 10, 3.5 → 5; percentages 0 → 10, 100 → 0, 50 → 5.
    expect([answerScore(1), answerScore(6), answerScore(3.5)]).toEqual([0, 10, 5]);
    expect([percentScore(0), percentScore(100), percentScore(50)]).toEqual([10, 0, 5]);
    // The 2025 benchmark: CFR 1.9 → 8.1, rework 2.2 → 7.8, the recomputed mean 6.72.
    expect(benchmark2025.change_failure_rate).toBeCloseTo(8.1, 10);
    expect(benchmark2025.rework_rate).toBeCloseTo(7.8, 10);
    expect(benchmark2025.overall).toBeCloseTo(6.72, 10);
    expect(benchmark2025).toMatchObject({ lead_time_for_changes: 5.5, deployment_frequency: 4.8, time_to_restore: 7.4 });
    // Every metric at its best answer scores 10, and so does the mean (2025: five metrics).
    const best = quickCheckScores({ deployment_frequency: 48, lead_time_for_changes: 0.5, time_to_restore: 0.5, change_failure_rate: 0, rework_rate: 0 });
    expect(best).toEqual({ deployment_frequency: 10, lead_time_for_changes: 10, time_to_restore: 10, change_failure_rate: 10, rework_rate: 10, overall: 10 });
  });

  it("places a duration in the Quick Check's answer ranges at every boundary", () => {
    const hours = [0, 0.99, 1, 23.99, 24, 167.99, 168, 719.99, 720, 4319.99, 4320, 10_000];
    expect(hours.map(durationAnswer)).toEqual([6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it("places a deployment frequency in the answer ranges at every boundary", () => {
    const perDay = [100, 24.01, 24, 1, 0.99, 1 / 7, 0.142, 1 / 30, 0.0333, 1 / 180, 0.0055, 0];
    expect(perDay.map(frequencyAnswer)).toEqual([6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it("scores each KPI with a value and averages them; a KPI without one is left out, none at all is null", () => {
    // 0.5 a day → answer 4 → 6; 30 h lead time → 4 → 6; 2 h recovery → 5 → 8; CFR 25 % → 7.5; rework 10 % → 9.
    expect(
      quickCheckScores({ deployment_frequency: 0.5, lead_time_for_changes: 30, time_to_restore: 2, change_failure_rate: 25, rework_rate: 10 }),
    ).toEqual({ deployment_frequency: 6, lead_time_for_changes: 6, time_to_restore: 8, change_failure_rate: 7.5, rework_rate: 9, overall: 36.5 / 5 });
    expect(quickCheckScores({ deployment_frequency: 0, lead_time_for_changes: null, time_to_restore: null, change_failure_rate: 100 })).toEqual({
      deployment_frequency: 0,
      change_failure_rate: 0,
      overall: 0,
    });
    expect(quickCheckScores({ lead_time_for_changes: null })).toEqual({ overall: null });
  });
});

describeEachDriver("the report's bands and scores", (store) => {
  it("carries the Quick Check scores of the project's DORA values, and bands by the configured set", async () => {
    // 20 days, 1 deployment: 0.05 a day — medium in 2023 (≥ 1 in 30 days), high in 2021 (≥ 1 in 30 days is high).
    await insertDeployments(store(), [deployment("d1", "2026-03-05T12:00:00Z")]);
    await insertIncidents(store(), [incident("i1", "2026-03-06T00:00:00Z", { service: "fraud-api", resolvedAt: "2026-03-06T03:00:00Z" })]);
    const window = { project: "fraud", from: "2026-03-01", to: "2026-03-20" };
    const report = await buildReport(store(), testConfig(), window);
    const entry = (id: string) => report.kpis.find((e) => e.id === id && e.dimension === null)!;
    expect([entry("deployment_frequency").band, entry("time_to_restore").band, entry("change_failure_rate").band]).toEqual(["medium", "high", "low"]);
    // 0.05 a day (≥ once in 30 days) → answer 3 → 4; 3 h to restore → 5 → 8; the incident makes the one deployment a failed change: 100 % → 0; no hotfix: 0 % → 10.
    expect(report.scores).toEqual({ deployment_frequency: 4, time_to_restore: 8, change_failure_rate: 0, rework_rate: 10, overall: 5.5 });

    const in2021 = await buildReport(store(), testConfig(`${CONFIG_YAML}dora_bands: 2021\n`), window);
    expect(in2021.kpis.find((e) => e.id === "deployment_frequency")!.band).toBe("high");
    expect(in2021.scores).toEqual(report.scores);
  });

  it("refuses a band set that is not one of the reports, with the line", () => {
    expect(() => testConfig(`${CONFIG_YAML}dora_bands: 2022\n`)).toThrow(/^test\.yaml:\d+:\d+: dora_bands must be one of 2023, 2021, 2024$/);
  });
});
