/**
 * The MLflow source against a local MLflow speaking the REST API 2.0 (fake-mlflow.ts): a first
 * sync records the production pointers it finds at their version's last update, an unchanged
 * re-sync writes nothing and asks again only for what can change, a moved alias or stage is a
 * deployment at the sync's time, a removed alias ends a span without one, and each failure
 * fails its model only with one line naming the server and what it answered.
 */
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDriver } from "@/test/support/db";
import { FakeMlflow } from "./fake-mlflow";
import { deploymentLines, eventLines, FIRST_SYNC, metricLines, mlflowConfig, ms, seedRegistry, storedMlflow, syncMlflow } from "./scenario";

describeEachDriver("MLflow sync", (store) => {
  let mlflow: FakeMlflow;
  beforeEach(async () => {
    mlflow = await new FakeMlflow().start();
    seedRegistry(mlflow);
  });
  afterEach(() => mlflow.close());
  const config = () => mlflowConfig(mlflow.url);

  it("first sync: the production aliases and the Production stage as they are, placed at their version's last update", async () => {
    const result = await syncMlflow(store(), config(), FIRST_SYNC);
    expect(result.status).toBe("succeeded");
    expect(result.errors).toEqual([]);
    // Two aliases on one version found together are one deployment.
    expect(await eventLines(store())).toEqual([
      "churn-lgbm stage:Production on 1 2026-01-05T08:00Z",
      "fraud-xgb alias:champion on 2 2026-01-12T10:00Z",
      "fraud-xgb alias:production on 2 2026-01-12T10:00Z",
    ]);
    expect(await deploymentLines(store())).toEqual(["churn-lgbm 1 2026-01-05T08:00Z", "fraud-xgb 2 2026-01-12T10:00Z"]);
    // The configured metrics of the live versions' runs, each key's latest value at its own time.
    expect(await metricLines(store())).toEqual([
      "churn-lgbm 1 auc=0.81 2026-01-04T18:00Z",
      "fraud-xgb 2 auc=0.91 2026-01-10T12:00Z",
      "fraud-xgb 2 log_loss=0.21 2026-01-10T12:00Z",
    ]);
    const { deployments, metrics } = await storedMlflow(store());
    expect(deployments[0]).toMatchObject({ kind: "model", environment: "production", status: "success", service: null });
    // Raw payloads as MLflow sent them: the model version, and the run's metric with its run.
    expect(JSON.parse((deployments[1] as { raw: string }).raw)).toMatchObject({ name: "fraud-xgb", version: "2", run_id: "r2", aliases: ["production", "champion"] });
    expect(JSON.parse((metrics[0] as { raw: string }).raw)).toEqual({ run_id: "c1", metric: { key: "auc", value: 0.81, timestamp: ms("2026-01-04T18:00:00Z"), step: 0 } });
    // A configured direction is stated by the observations (model_quality judges log_loss lower-is-better).
    expect(await store().rows(sql`SELECT metric, direction FROM model_metrics WHERE model = 'fraud-xgb' ORDER BY metric`)).toEqual([
      { metric: "auc", direction: null },
      { metric: "log_loss", direction: "lower" },
    ]);
    // A name the registry does not have is no partition, and is said.
    expect(result.lines).toContain(`MLflow at ${mlflow.url} has no registered model recsys: not read from MLflow (a deployment-log model?)`);
    expect(result.parts).toBe(2);
    expect(result.records).toEqual({
      "fraud-xgb:pointer_events": 2,
      "fraud-xgb:deployments": 1,
      "fraud-xgb:model_metrics": 2,
      "churn-lgbm:pointer_events": 1,
      "churn-lgbm:deployments": 1,
      "churn-lgbm:model_metrics": 1,
    });
    // search (2 pages) + fraud-xgb: get, 2 aliases, 1 run + churn-lgbm: get, versions search, 1 run.
    expect(result.requests).toBe(9);
    expect(mlflow.requests.every((request) => request.authorization === "Bearer mlflow-secret")).toBe(true);
  });

  it("an unchanged re-sync writes nothing and asks no alias again", async () => {
    await syncMlflow(store(), config(), FIRST_SYNC);
    const before = await storedMlflow(store());
    mlflow.requests = [];
    const result = await syncMlflow(store(), config(), "2026-01-15T00:15:00.000Z");
    expect(result.status).toBe("succeeded");
    expect(result.records).toEqual({});
    expect(await storedMlflow(store())).toEqual(before);
    expect(mlflow.calls("registered-models/alias")).toEqual([]);
    // search (2) + fraud-xgb: get, 1 run + churn-lgbm: get, versions, 1 run.
    expect(result.requests).toBe(7);
  });

  it("a moved alias or stage is a deployment at the sync's time; the old version's span ends there", async () => {
    await syncMlflow(store(), config(), FIRST_SYNC);
    mlflow.setAlias("fraud-xgb", "production", "3");
    mlflow.setStage("churn-lgbm", "2", "Production", ms("2026-01-21T09:00:00Z"));
    mlflow.setStage("churn-lgbm", "1", "Archived", ms("2026-01-21T09:00:00Z"));
    const second = await syncMlflow(store(), config(), "2026-01-22T06:00:00.000Z");
    expect(second.status).toBe("succeeded");
    expect(second.lines).toContain("mlflow fraud-xgb: alias:production left version 2, alias:production → version 3");
    // champion still points at 2: both versions are live, and both runs' metrics are read.
    mlflow.setAlias("fraud-xgb", "champion", "3");
    await syncMlflow(store(), config(), "2026-01-29T06:00:00.000Z");
    expect(await eventLines(store())).toEqual([
      "churn-lgbm stage:Production on 1 2026-01-05T08:00Z",
      "fraud-xgb alias:champion on 2 2026-01-12T10:00Z",
      "fraud-xgb alias:production on 2 2026-01-12T10:00Z",
      "churn-lgbm stage:Production off 1 2026-01-22T06:00Z",
      "churn-lgbm stage:Production on 2 2026-01-22T06:00Z",
      "fraud-xgb alias:production off 2 2026-01-22T06:00Z",
      "fraud-xgb alias:production on 3 2026-01-22T06:00Z",
      "fraud-xgb alias:champion off 2 2026-01-29T06:00Z",
      "fraud-xgb alias:champion on 3 2026-01-29T06:00Z",
    ]);
    // Each alias that points to a version it did not point to before is a deployment (kpis.md).
    expect(await deploymentLines(store())).toEqual([
      "churn-lgbm 1 2026-01-05T08:00Z",
      "fraud-xgb 2 2026-01-12T10:00Z",
      "churn-lgbm 2 2026-01-22T06:00Z",
      "fraud-xgb 3 2026-01-22T06:00Z",
      "fraud-xgb 3 2026-01-29T06:00Z",
    ]);
    expect(await metricLines(store())).toEqual([
      "churn-lgbm 1 auc=0.81 2026-01-04T18:00Z",
      "churn-lgbm 2 auc=0.84 2026-01-13T08:00Z",
      "fraud-xgb 2 auc=0.91 2026-01-10T12:00Z",
      "fraud-xgb 2 log_loss=0.21 2026-01-10T12:00Z",
      "fraud-xgb 3 auc=0.93 2026-01-20T12:00Z",
      "fraud-xgb 3 log_loss=0.18 2026-01-20T12:00Z",
    ]);
  });

  it("a metric logged again on a live version's run is a new observation; a NaN is left out and said", async () => {
    await syncMlflow(store(), config(), FIRST_SYNC);
    mlflow.logMetric("r2", "auc", 0.92, ms("2026-01-16T09:00:00Z"));
    mlflow.logMetric("r2", "log_loss", "NaN", ms("2026-01-16T09:00:00Z"));
    const result = await syncMlflow(store(), config(), "2026-01-16T12:00:00.000Z");
    expect(result.lines).toContain("mlflow fraud-xgb: metric log_loss of version 2 is NaN, not a number; left out");
    expect((await metricLines(store())).filter((line) => line.startsWith("fraud-xgb"))).toEqual([
      "fraud-xgb 2 auc=0.91 2026-01-10T12:00Z",
      "fraud-xgb 2 auc=0.92 2026-01-16T09:00Z",
      "fraud-xgb 2 log_loss=0.21 2026-01-10T12:00Z",
    ]);
  });

  it("a removed alias ends its span without a deployment; set again later, it is one", async () => {
    await syncMlflow(store(), config(), FIRST_SYNC);
    mlflow.deleteAlias("fraud-xgb", "champion");
    await syncMlflow(store(), config(), "2026-01-16T00:00:00.000Z");
    mlflow.setAlias("fraud-xgb", "champion", "2");
    await syncMlflow(store(), config(), "2026-01-17T00:00:00.000Z");
    expect((await eventLines(store())).filter((line) => line.includes("champion"))).toEqual([
      "fraud-xgb alias:champion on 2 2026-01-12T10:00Z",
      "fraud-xgb alias:champion off 2 2026-01-16T00:00Z",
      "fraud-xgb alias:champion on 2 2026-01-17T00:00Z",
    ]);
    expect((await deploymentLines(store())).filter((line) => line.startsWith("fraud-xgb"))).toEqual(["fraud-xgb 2 2026-01-12T10:00Z", "fraud-xgb 2 2026-01-17T00:00Z"]);
  });

  it("a server before aliases: the versions in stage Production, several at once", async () => {
    mlflow.aliases = false;
    mlflow.setStage("fraud-xgb", "1", "Production", ms("2026-01-03T10:00:00Z"));
    mlflow.setStage("fraud-xgb", "3", "Production", ms("2026-01-14T10:00:00Z"));
    const result = await syncMlflow(store(), config(), FIRST_SYNC);
    expect(result.status).toBe("succeeded");
    expect((await eventLines(store())).filter((line) => line.startsWith("fraud-xgb"))).toEqual([
      "fraud-xgb stage:Production on 1 2026-01-03T10:00Z",
      "fraud-xgb stage:Production on 3 2026-01-14T10:00Z",
    ]);
    expect(mlflow.calls("registered-models/alias")).toEqual([]);
    // fraud-xgb's three versions take two pages of the search.
    expect(mlflow.calls("model-versions/search").map((request) => request.query.get("filter"))).toEqual(["name='fraud-xgb'", "name='fraud-xgb'", "name='churn-lgbm'"]);
  });

  it("a model MLflow no longer has (404) fails alone, in one line naming the server and its answer", async () => {
    mlflow.fail({ path: "/api/2.0/mlflow/registered-models/get", query: "name=fraud-xgb", times: 1, status: 404, body: JSON.stringify({ error_code: "RESOURCE_DOES_NOT_EXIST", message: "Registered Model with name=fraud-xgb not found" }) });
    const result = await syncMlflow(store(), config(), FIRST_SYNC);
    expect(result.status).toBe("partial");
    expect(result.errors).toEqual([
      `fraud-xgb: MLflow at ${mlflow.url} answered 404 (RESOURCE_DOES_NOT_EXIST: Registered Model with name=fraud-xgb not found) to GET /api/2.0/mlflow/registered-models/get`,
    ]);
    expect(await deploymentLines(store())).toEqual(["churn-lgbm 1 2026-01-05T08:00Z"]);
    expect((await storedMlflow(store())).states).toEqual([{ stream: "churn-lgbm:production" }]);
  });

  it("a model the token may not read (403) fails alone", async () => {
    mlflow.fail({ path: "/api/2.0/mlflow/registered-models/get", query: "name=churn-lgbm", times: 1, status: 403, body: JSON.stringify({ error_code: "PERMISSION_DENIED", message: "Permission denied" }) });
    const result = await syncMlflow(store(), config(), FIRST_SYNC);
    expect(result.status).toBe("partial");
    expect(result.errors).toEqual([`churn-lgbm: MLflow at ${mlflow.url} answered 403 (PERMISSION_DENIED: Permission denied) to GET /api/2.0/mlflow/registered-models/get`]);
    expect(await deploymentLines(store())).toEqual(["fraud-xgb 2 2026-01-12T10:00Z"]);
  });

  it("a refused token (401) stops the source in one line that says what to check", async () => {
    mlflow.token = "another";
    const result = await syncMlflow(store(), config(), FIRST_SYNC);
    expect(result.status).toBe("failed");
    expect(result.errors).toEqual([
      `MLflow at ${mlflow.url} answered 401 (UNAUTHENTICATED: Credential was not sent or was of an unsupported type for this API.) to GET /api/2.0/mlflow/registered-models/search; check sources.mlflow.token (a Bearer token; Databricks: a personal access token)`,
    ]);
    expect(result.requests).toBe(1);
  });

  it("an open server: no token, no Authorization header", async () => {
    mlflow.token = null;
    const configured = config();
    const open = { ...configured, sources: { mlflow: { ...configured.sources.mlflow!, token: undefined } } };
    const result = await syncMlflow(store(), open, FIRST_SYNC);
    expect(result.status).toBe("succeeded");
    expect(mlflow.requests.every((request) => request.authorization === undefined)).toBe(true);
  });

  it("a 5xx is retried; one that goes on fails its model after the retries, an HTML error page said by its title", async () => {
    mlflow.fail({ path: "/api/2.0/mlflow/runs/get", times: 1, status: 503 });
    const retried = await syncMlflow(store(), config(), FIRST_SYNC);
    expect(retried.status).toBe("succeeded");
    expect(retried.lines.some((line) => line.startsWith("MLflow: 503 on /api/2.0/mlflow/runs/get"))).toBe(true);

    mlflow.fail({ path: "/api/2.0/mlflow/runs/get", query: "run_id=c1", times: 2, status: 502, contentType: "text/html", body: "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>" });
    const failed = await syncMlflow(store(), config(), "2026-01-15T01:00:00.000Z");
    expect(failed.status).toBe("partial");
    expect(failed.errors).toEqual([`churn-lgbm: MLflow at ${mlflow.url} answered 502 (502 Bad Gateway) to GET /api/2.0/mlflow/runs/get after 2 attempts`]);
  });

  it("an answer that is not the documented shape fails its model and says where", async () => {
    mlflow.fail({ path: "/api/2.0/mlflow/registered-models/get", query: "name=fraud-xgb", times: 1, status: 200, body: JSON.stringify({ registered_model: { name: "fraud-xgb", aliases: [{ alias: "production" }] } }) });
    const result = await syncMlflow(store(), config(), FIRST_SYNC);
    expect(result.errors).toEqual([
      "fraud-xgb: MLflow's answer to GET /api/2.0/mlflow/registered-models/get is not what its API documents at registered_model.aliases.0.version: Invalid input: expected string, received undefined",
    ]);
  });

  it("a failure after the pointer events are stored: the re-run stores the rest and ends as an uninterrupted sync", async () => {
    const reference = async () => {
      await syncMlflow(store(), config(), FIRST_SYNC);
      mlflow.setAlias("fraud-xgb", "production", "3");
      await syncMlflow(store(), config(), "2026-01-22T06:00:00.000Z");
      return { events: await eventLines(store()), deployments: await deploymentLines(store()), metrics: await metricLines(store()) };
    };
    const whole = await reference();
    await store().db.execute(sql`TRUNCATE model_pointer_events, deployments, model_metrics, stream_states`);
    mlflow.setAlias("fraud-xgb", "production", "2");

    await syncMlflow(store(), config(), FIRST_SYNC);
    mlflow.setAlias("fraud-xgb", "production", "3");
    mlflow.fail({ path: "/api/2.0/mlflow/runs/get", query: "run_id=r3", times: 2, status: 500 });
    const failed = await syncMlflow(store(), config(), "2026-01-22T06:00:00.000Z");
    expect(failed.status).toBe("partial");
    // The move is stored (with its deployment) though the metrics were not.
    expect(await deploymentLines(store())).toEqual(whole.deployments);
    // Run again later: nothing moved since, so no event at the later time; the metrics come.
    const rerun = await syncMlflow(store(), config(), "2026-01-22T06:15:00.000Z");
    expect(rerun.status).toBe("succeeded");
    expect({ events: await eventLines(store()), deployments: await deploymentLines(store()), metrics: await metricLines(store()) }).toEqual(whole);
  });
});

