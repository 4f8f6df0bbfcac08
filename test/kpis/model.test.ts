import { expect, it } from "vitest";
import { deployments } from "@/db/schema";
import { upsertRecords } from "@/db/upsert";
import { modelIterationsShipped } from "@/lib/kpis/definitions/model-iterations-shipped";
import { modelQuality } from "@/lib/kpis/definitions/model-quality";
import { modelSlaCompliance } from "@/lib/kpis/definitions/model-sla-compliance";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";
import { insertDeployments, insertMetrics, insertSla } from "@/test/support/records";
import { contextFor, eventIds } from "@/test/kpis/support";

const config = testConfig();
const march = contextFor(config, "fraud", { from: "2026-03-01", to: "2026-03-31" }); // UTC

describeEachDriver("model_iterations_shipped", (store) => {
  it("is 0 over an empty window", async () => {
    expect(await modelIterationsShipped.compute(store(), march)).toEqual([{ dimension: null, value: 0, sampleSize: 0 }]);
  });

  it("counts distinct (model, version) pairs of completed production model deployments in the window", async () => {
    const model = (id: string, m: string, version: string | null, finishedAt: string, extra = {}) => ({
      externalId: id, kind: "model", service: `${m}-serving`, model: m, version, finishedAt, ...extra,
    });
    await insertDeployments(store(), [
      model("x0", "fraud-xgb", "v0", "2026-03-01T00:00:00Z"), // first instant
      model("x1", "fraud-xgb", "v1", "2026-03-02T10:00:00Z"),
      model("x1-again", "fraud-xgb", "v1", "2026-03-05T10:00:00Z"), // redeploy of v1: same pair
      model("x2", "fraud-xgb", "v2", "2026-03-10T10:00:00Z", { status: "rolled_back" }), // reached production
      model("x3", "fraud-xgb", "v3", "2026-03-11T10:00:00Z", { status: "failure" }),
      model("x4", "fraud-xgb", "v4", "2026-03-12T10:00:00Z", { environment: "staging" }),
      model("x5", "fraud-xgb", "v5", "2026-03-13T10:00:00Z", { environment: "PROD" }),
      model("x6", "fraud-xgb", "v6", "2026-04-01T00:00:00Z"), // window end
      model("n1", "fraud-nn", "v1", "2026-03-14T10:00:00Z"), // same version, another model
      model("n0-before", "fraud-nn", "v0", "2026-02-20T10:00:00Z"),
      model("n0-redeploy", "fraud-nn", "v0", "2026-03-15T10:00:00Z"), // redeployed in the window: counts here
      model("nv1", "fraud-nn", null, "2026-03-16T10:00:00Z"),
      model("nv2", "fraud-nn", null, "2026-03-17T10:00:00Z"), // no version twice: one pair
      model("c1", "churn-lgbm", "v1", "2026-03-16T10:00:00Z"), // another project
      { externalId: "code", service: "fraud-api", version: "v9", finishedAt: "2026-03-16T10:00:00Z" }, // kind code
    ]);
    // xgb v0, v1, v2, v5; nn v1, v0, (no version).
    expect(await modelIterationsShipped.compute(store(), march)).toEqual([{ dimension: null, value: 7, sampleSize: 7 }]);
    // One event per pair, its first deployment in the window, in time order.
    expect(await eventIds(store(), modelIterationsShipped, march)).toEqual(["x0", "x1", "x2", "x5", "n1", "n0-redeploy", "nv1"]);
  });

  it("counts a deployment record stored twice once", async () => {
    const record = { source: "deploy_log", externalId: "d1", raw: { id: "d1" }, kind: "model", model: "fraud-xgb", version: "v1",
      service: "s", environment: "production", status: "success", finishedAt: "2026-03-03T00:00:00Z" };
    await upsertRecords(store(), deployments, [record]);
    await upsertRecords(store(), deployments, [record]);
    expect((await modelIterationsShipped.compute(store(), march))[0]!.value).toBe(1);
  });
});

describeEachDriver("model_quality", (store) => {
  it("has only a null project entry over an empty window", async () => {
    expect(await modelQuality.compute(store(), march)).toEqual([{ dimension: null, value: null, sampleSize: 0 }]);
  });

  it("takes the last production observation in the window per (model, metric), in the metric's direction", async () => {
    await insertMetrics(store(), [
      { model: "fraud-xgb", metric: "auc", value: 0.9, observedAt: "2026-03-02T00:00:00Z", externalId: "auc-1" },
      { model: "fraud-xgb", metric: "auc", value: 0.92, observedAt: "2026-03-20T00:00:00Z", externalId: "auc-2" },
      { model: "fraud-xgb", metric: "auc", value: 0.99, observedAt: "2026-04-01T00:00:00Z", externalId: "auc-after" },
      { model: "fraud-xgb", metric: "auc", value: 0.5, observedAt: "2026-03-25T00:00:00Z", environment: "staging" },
      { model: "fraud-xgb", metric: "latency_ms", value: 120, observedAt: "2026-03-10T00:00:00Z", direction: "lower" },
      { model: "fraud-xgb", metric: "latency_ms", value: 110, observedAt: "2026-03-15T00:00:00Z", externalId: "lat-2", environment: "Prod" },
      { model: "fraud-nn", metric: "auc", value: 0.8, observedAt: "2026-03-05T00:00:00Z", externalId: "nn-1" },
      { model: "fraud-nn", metric: "auc", value: 0.81, observedAt: "2026-03-05T00:00:00Z", externalId: "nn-2" }, // same instant, stored later
      { model: "churn-lgbm", metric: "auc", value: 0.7, observedAt: "2026-03-05T00:00:00Z" },
    ]);
    expect(await modelQuality.compute(store(), march)).toEqual([
      { dimension: null, value: null, sampleSize: 3 },
      { dimension: "fraud-nn/auc", value: 0.81, sampleSize: 1, direction: "higher" },
      { dimension: "fraud-xgb/auc", value: 0.92, sampleSize: 1, direction: "higher" },
      { dimension: "fraud-xgb/latency_ms", value: 110, sampleSize: 1, direction: "lower" },
    ]);
    expect(await eventIds(store(), modelQuality, march, "fraud-xgb/auc")).toEqual(["auc-2"]);
    expect(await eventIds(store(), modelQuality, march)).toEqual(["nn-2", "lat-2", "auc-2"]);
    const [event] = await modelQuality.events(store(), march, "fraud-xgb/latency_ms");
    expect(event).toMatchObject({ kind: "model_metric", at: "2026-03-15T00:00:00.000Z", dimension: "fraud-xgb/latency_ms", value: 110 });
  });
});

describeEachDriver("model_sla_compliance", (store) => {
  it("lists every configured model, without a value when it has no observation", async () => {
    expect(await modelSlaCompliance.compute(store(), march)).toEqual([
      { dimension: null, value: null, sampleSize: 0 },
      { dimension: "fraud-nn", value: null, sampleSize: 0 },
      { dimension: "fraud-xgb", value: null, sampleSize: 0 },
    ]);
  });

  it("is the share of observations that met their limit, per model and over the project", async () => {
    await insertSla(store(), [
      { model: "fraud-xgb", value: 100, limit: 150, observedAt: "2026-03-01T00:00:00Z" }, // met (max)
      { model: "fraud-xgb", value: 150, limit: 150, observedAt: "2026-03-02T00:00:00Z" }, // exactly at the limit: met
      { model: "fraud-xgb", value: 200, limit: 150, observedAt: "2026-03-03T00:00:00Z" }, // missed
      { model: "fraud-xgb", objective: "availability", value: 99.95, limit: 99.9, direction: "min", observedAt: "2026-03-04T00:00:00Z" },
      { model: "fraud-xgb", value: 900, limit: 150, observedAt: "2026-04-01T00:00:00Z" }, // after the window
      { model: "fraud-nn", objective: "availability", value: 99.0, limit: 99.9, direction: "min", observedAt: "2026-03-31T23:59:59Z", externalId: "nn" },
      { model: "churn-lgbm", value: 900, limit: 150, observedAt: "2026-03-05T00:00:00Z" },
    ]);
    expect(await modelSlaCompliance.compute(store(), march)).toEqual([
      { dimension: null, value: 60, sampleSize: 5 },
      { dimension: "fraud-nn", value: 0, sampleSize: 1 },
      { dimension: "fraud-xgb", value: 75, sampleSize: 4 },
    ]);
    const [event] = await modelSlaCompliance.events(store(), march, "fraud-nn");
    expect(event).toMatchObject({ id: "nn", kind: "model_sla", value: 99, title: "availability 99 ≥ 99.9 missed" });
    expect(await modelSlaCompliance.events(store(), march, null)).toHaveLength(5);
  });
});
