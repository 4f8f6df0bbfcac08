/**
 * The model KPIs a synced MLflow registry gives, by hand (kpis.md, Model; "Reading the
 * sources", MLflow), through the report the CLI, the API and the pages show.
 *
 * fraud-xgb (project `fraud`, UTC), aliases `production` and `champion`:
 *   sync Jan 15 00:00  both on v2 (v2 last updated Jan 12 10:00)  → deployment v2 @ Jan 12 10:00
 *   sync Jan 22 06:00  production → v3                            → deployment v3 @ Jan 22 06:00
 *   sync Jan 29 06:00  champion → v3                              → deployment v3 @ Jan 29 06:00
 *   sync Feb  3 06:00  production → v1 (a rollback to v1)         → deployment v1 @ Feb 3 06:00
 *   runs: v2 auc 0.91, log_loss 0.21 (Jan 10 12:00); v3 auc 0.93, log_loss 0.25 (Jan 20 12:00);
 *         v1 auc 0.88 (Jan 2 08:00)
 * churn-lgbm (project `churn`, Europe/Berlin; DST starts Sunday Mar 29, 2026 at 01:00 UTC),
 * stage `Production`:
 *   sync Mar 20 00:00  v1 in Production (last updated Mar 5 08:00) → deployment v1 @ Mar 5 08:00Z
 *   sync Mar 28 23:30  v2 replaces v1  → deployment v2 @ Mar 28 23:30Z = Mar 29 00:30 CET
 *   sync Mar 29 22:30  v3 replaces v2  → deployment v3 @ Mar 29 22:30Z = Mar 30 00:30 CEST
 *   runs: v2 auc 0.84 at Mar 28 23:10Z (Mar 29 00:10 CET), v3 auc 0.86 at Mar 29 22:10Z (Mar 30 00:10 CEST)
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { buildReport, type Report } from "@/lib/report/build";
import { modelProductionHistory } from "@/lib/report/model-history";
import { describeEachDriver } from "@/test/support/db";
import { FakeMlflow } from "./fake-mlflow";
import { mlflowConfig, ms, syncMlflow } from "./scenario";

function seed(fake: FakeMlflow) {
  fake.addModel("fraud-xgb", ms("2026-01-01T08:00:00Z"));
  fake.addVersion("fraud-xgb", { version: "1", created: ms("2026-01-02T09:00:00Z"), runId: "r1" });
  fake.addVersion("fraud-xgb", { version: "2", created: ms("2026-01-10T09:00:00Z"), updated: ms("2026-01-12T10:00:00Z"), runId: "r2" });
  fake.addVersion("fraud-xgb", { version: "3", created: ms("2026-01-14T09:00:00Z"), runId: "r3" });
  fake.setAlias("fraud-xgb", "production", "2");
  fake.setAlias("fraud-xgb", "champion", "2");
  fake.logMetric("r1", "auc", 0.88, ms("2026-01-02T08:00:00Z"));
  fake.logMetric("r2", "auc", 0.91, ms("2026-01-10T12:00:00Z"));
  fake.logMetric("r2", "log_loss", 0.21, ms("2026-01-10T12:00:00Z"));
  fake.logMetric("r3", "auc", 0.93, ms("2026-01-20T12:00:00Z"));
  fake.logMetric("r3", "log_loss", 0.25, ms("2026-01-20T12:00:00Z"));

}

/** churn-lgbm is registered in March: its first sync is the one of Mar 20. */
function seedChurn(fake: FakeMlflow) {
  fake.addModel("churn-lgbm", ms("2026-03-01T08:00:00Z"));
  fake.addVersion("churn-lgbm", { version: "1", created: ms("2026-03-02T09:00:00Z"), runId: "c1" });
  fake.setStage("churn-lgbm", "1", "Production", ms("2026-03-05T08:00:00Z"));
  fake.addVersion("churn-lgbm", { version: "2", created: ms("2026-03-27T09:00:00Z"), runId: "c2" });
  fake.addVersion("churn-lgbm", { version: "3", created: ms("2026-03-29T20:00:00Z"), runId: "c3" });
  fake.logMetric("c2", "auc", 0.84, ms("2026-03-28T23:10:00Z"));
  fake.logMetric("c3", "auc", 0.86, ms("2026-03-29T22:10:00Z"));
}

const entry = (report: Report, id: string, dimension: string | null = null) => {
  const found = report.kpis.find((kpi) => kpi.id === id && kpi.dimension === dimension);
  if (!found) throw new Error(`no ${id} ${dimension ?? ""} entry`);
  return { value: found.value, sample_size: found.sample_size, status: found.status };
};

describeEachDriver("model KPIs from a synced MLflow", (store) => {
  let mlflow: FakeMlflow;
  beforeEach(async () => {
    mlflow = await new FakeMlflow().start();
    seed(mlflow);
  });
  afterEach(() => mlflow.close());

  async function syncAll() {
    const cfg = mlflowConfig(mlflow.url);
    const at = async (iso: string, change?: () => void) => {
      change?.();
      const result = await syncMlflow(store(), cfg, iso);
      expect(result.errors).toEqual([]);
    };
    await at("2026-01-15T00:00:00.000Z");
    await at("2026-01-22T06:00:00.000Z", () => mlflow.setAlias("fraud-xgb", "production", "3"));
    await at("2026-01-29T06:00:00.000Z", () => mlflow.setAlias("fraud-xgb", "champion", "3"));
    await at("2026-02-03T06:00:00.000Z", () => mlflow.setAlias("fraud-xgb", "production", "1"));
    await at("2026-03-20T00:00:00.000Z", () => seedChurn(mlflow));
    await at("2026-03-28T23:30:00.000Z", () => {
      mlflow.setStage("churn-lgbm", "2", "Production", ms("2026-03-28T23:00:00Z"));
      mlflow.setStage("churn-lgbm", "1", "Archived", ms("2026-03-28T23:00:00Z"));
    });
    await at("2026-03-29T22:30:00.000Z", () => {
      mlflow.setStage("churn-lgbm", "3", "Production", ms("2026-03-29T22:00:00Z"));
      mlflow.setStage("churn-lgbm", "2", "Archived", ms("2026-03-29T22:00:00Z"));
    });
    return cfg;
  }

  it("fraud, January (UTC): two iterations shipped in three deployments; quality is the last observation per metric", async () => {
    const cfg = await syncAll();
    const report = await buildReport(store(), cfg, { project: "fraud", from: "2026-01-01", to: "2026-01-31" });
    // (fraud-xgb, 2) and (fraud-xgb, 3): champion joining v3 on Jan 29 is a deployment, not a new pair.
    expect(entry(report, "model_iterations_shipped")).toEqual({ value: 2, sample_size: 2, status: "no_target" });
    // 3 completed production deployments ÷ 31 days.
    expect(entry(report, "deployment_frequency").value).toBeCloseTo(3 / 31, 12);
    // v3's observations (Jan 20 12:00) are the last in January; log_loss is judged lower-is-better.
    expect(entry(report, "model_quality", "fraud-xgb/auc").value).toBe(0.93);
    expect(entry(report, "model_quality", "fraud-xgb/log_loss").value).toBe(0.25);
    expect(entry(report, "model_quality")).toEqual({ value: null, sample_size: 2, status: "no_data" });
    // February: the rollback to v1 is an iteration shipped (v1 reached production again); nothing observed in February.
    const february = await buildReport(store(), cfg, { project: "fraud", from: "2026-02-01", to: "2026-02-28" });
    expect(entry(february, "model_iterations_shipped").value).toBe(1);
    expect(february.kpis.filter((kpi) => kpi.id === "model_quality").map((kpi) => kpi.dimension)).toEqual([null]);
    // The previous period of January (Dec 1–31) has nothing: the first sync placed v2 at its last update.
    expect(report.kpis.find((kpi) => kpi.id === "model_iterations_shipped")!.previous).toBe(0);
  });

  it("churn in Europe/Berlin across the DST change: the 23-hour Sunday holds v2 only, its UTC day v3 only", async () => {
    const cfg = await syncAll();
    const berlinSunday = await buildReport(store(), cfg, { project: "churn", from: "2026-03-29", to: "2026-03-29" });
    expect(berlinSunday.days).toBe(1);
    // [Mar 28 23:00Z, Mar 29 22:00Z): v2 at 23:30Z; v3 at 22:30Z is Monday 00:30 CEST.
    expect(entry(berlinSunday, "model_iterations_shipped").value).toBe(1);
    expect(entry(berlinSunday, "deployment_frequency").value).toBe(1);
    // Only v2's auc (23:10Z = 00:10 CET) was observed on the Berlin Sunday; v3's (22:10Z) is Monday 00:10 CEST.
    expect(entry(berlinSunday, "model_quality", "churn-lgbm/auc").value).toBe(0.84);

    const utcSunday = await buildReport(store(), cfg, { project: "churn", from: "2026-03-29", to: "2026-03-29", tz: "UTC" });
    expect(entry(utcSunday, "model_iterations_shipped").value).toBe(1);
    expect(entry(utcSunday, "model_quality", "churn-lgbm/auc").value).toBe(0.86);

    // March in Berlin: v1 (Mar 5), v2, v3 (Mar 30 00:30 CEST) — 3 pairs over 31 days.
    const march = await buildReport(store(), cfg, { project: "churn", from: "2026-03-01", to: "2026-03-31" });
    expect(entry(march, "model_iterations_shipped").value).toBe(3);
    expect(entry(march, "deployment_frequency").value).toBeCloseTo(3 / 31, 12);
  });

  it("the production history: a version is live while any production pointer has it, with its latest metrics", async () => {
    const cfg = await syncAll();
    const fraud = cfg.projects.find((project) => project.slug === "fraud")!;
    const spans = (until: string) => modelProductionHistory(store(), fraud, new Date(until));
    // v2 left `production` on Jan 22 but stayed on `champion` until Jan 29; v3 is still on champion after production moved to v1.
    expect(await spans("2026-03-01T00:00:00Z")).toEqual([
      { model: "fraud-xgb", version: "1", pointers: ["alias:production"], from: "2026-02-03T06:00:00.000Z", to: null, metrics: [{ metric: "auc", value: 0.88, observedAt: "2026-01-02T08:00:00+00:00" }] },
      {
        model: "fraud-xgb", version: "3", pointers: ["alias:production", "alias:champion"], from: "2026-01-22T06:00:00.000Z", to: null,
        metrics: [{ metric: "auc", value: 0.93, observedAt: "2026-01-20T12:00:00+00:00" }, { metric: "log_loss", value: 0.25, observedAt: "2026-01-20T12:00:00+00:00" }],
      },
      {
        model: "fraud-xgb", version: "2", pointers: ["alias:production", "alias:champion"], from: "2026-01-12T10:00:00.000Z", to: "2026-01-29T06:00:00.000Z",
        metrics: [{ metric: "auc", value: 0.91, observedAt: "2026-01-10T12:00:00+00:00" }, { metric: "log_loss", value: 0.21, observedAt: "2026-01-10T12:00:00+00:00" }],
      },
    ]);
    // A window ending Jan 25 shows the spans begun by then, with their real ends; v3's metrics of Jan 20 were observed by then.
    expect((await spans("2026-01-25T00:00:00Z")).map((span) => [span.version, span.from, span.to])).toEqual([
      ["3", "2026-01-22T06:00:00.000Z", null],
      ["2", "2026-01-12T10:00:00.000Z", "2026-01-29T06:00:00.000Z"],
    ]);
    // A project with no MLflow model has no history.
    expect(await modelProductionHistory(store(), { ...fraud, models: ["recsys"] }, new Date("2026-03-01T00:00:00Z"))).toEqual([]);
  });
});
