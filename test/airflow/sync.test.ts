/**
 * The Airflow source against a local Airflow 2 (API v1) and Airflow 3 (API v2) (fake-airflow.ts):
 * finished runs of the mapped DAGs become data refreshes of their datasets, page by page under
 * the server's cap on `limit`; re-syncs read on from the newest end date; runs still going
 * are no record until they finish; and each failure fails its DAG only, in one line naming the
 * server and what it answered.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDriver } from "@/test/support/db";
import { FakeAirflow } from "./fake-airflow";
import { airflowConfig, refreshLines, scheduled, seedDags, storedAirflow, syncAirflow } from "./scenario";

const FIRST_SYNC_REFRESHES = [
  "transactions success 2026-01-01T00:20:00.123456 transactions:load_transactions/scheduled__2026-01-01T00:00:00+00:00",
  "chargebacks success 2026-01-01T03:00:00.000000 chargebacks:ingest_chargebacks/scheduled__2026-01-01T02:00:00+00:00",
  "transactions success 2026-01-01T06:25:00.000000 transactions:load_transactions/scheduled__2026-01-01T06:00:00+00:00",
  "transactions failure 2026-01-01T12:40:00.000000 transactions:load_transactions/scheduled__2026-01-01T12:00:00+00:00",
  "transactions success 2026-01-01T18:15:00.000000 transactions:load_transactions/scheduled__2026-01-01T18:00:00+00:00",
  "chargebacks success 2026-01-01T23:00:00.000000 chargebacks:build_marts/scheduled__2026-01-01T22:00:00+00:00",
  "transactions success 2026-01-01T23:00:00.000000 transactions:build_marts/scheduled__2026-01-01T22:00:00+00:00",
  "transactions success 2026-01-02T00:30:00.000000 transactions:load_transactions/scheduled__2026-01-02T00:00:00+00:00",
  "chargebacks success 2026-01-02T03:00:00.000000 chargebacks:ingest_chargebacks/scheduled__2026-01-02T02:00:00+00:00",
];

for (const version of [1, 2] as const) {
  describeEachDriver(`Airflow sync, API v${version}`, (store) => {
    let airflow: FakeAirflow;
    beforeEach(async () => {
      airflow = await new FakeAirflow(version).start();
      seedDags(airflow);
    });
    afterEach(() => airflow.close());
    const token = version === 2 ? 1 : 0;

    it("first sync: every finished run of each mapped DAG is a refresh of each dataset it maps to; running and queued runs are none", async () => {
      const result = await syncAirflow(store(), airflowConfig(airflow));
      expect(result.errors).toEqual([]);
      expect(result.status).toBe("succeeded");
      expect(await refreshLines(store())).toEqual(FIRST_SYNC_REFRESHES);
      expect(result.records).toEqual({ "load_transactions:data_refreshes": 5, "ingest_chargebacks:data_refreshes": 2, "build_marts:data_refreshes": 2 });
      // load_transactions' 5 finished runs in pages of 3 (the server's cap on limit=100), 1 page each for the others.
      expect(airflow.listings("load_transactions").map((request) => [request.query.get("limit"), request.query.get("offset")])).toEqual([["100", "0"], ["100", "3"]]);
      expect(result.requests).toBe(4 + token);
      const request = airflow.listings("load_transactions")[0]!;
      expect(request.query.getAll("state")).toEqual(["success", "failed"]);
      expect(request.query.getAll("order_by")).toEqual(["end_date"]);
      expect(request.query.has("end_date_gte")).toBe(false);
      const { refreshes, states } = await storedAirflow(store());
      expect(JSON.parse((refreshes[0] as { raw: string }).raw)).toMatchObject({ dag_id: "build_marts", state: "success", end_date: "2026-01-01T23:00:00.000000+00:00" });
      expect(states).toEqual([
        { stream: "build_marts:runs", cursor: { end_date: "2026-01-01T23:00:00.000000+00:00" } },
        { stream: "ingest_chargebacks:runs", cursor: { end_date: "2026-01-02T03:00:00.000000+00:00" } },
        { stream: "load_transactions:runs", cursor: { end_date: "2026-01-02T00:30:00.000000+00:00" } },
      ]);
    });

    it("authenticates as the version wants: basic auth on Airflow 2; on Airflow 3 a JWT from POST /auth/token", async () => {
      await syncAirflow(store(), airflowConfig(airflow));
      const listing = airflow.listings("load_transactions")[0]!;
      if (version === 1) {
        expect(listing.authorization).toBe(`Basic ${Buffer.from("shipshape:airflow-secret").toString("base64")}`);
        expect(airflow.requests.some((request) => request.path === "/auth/token")).toBe(false);
      } else {
        const exchange = airflow.requests.find((request) => request.path === "/auth/token")!;
        expect(JSON.parse(exchange.body)).toEqual({ username: "shipshape", password: "airflow-secret" });
        expect(listing.authorization).toMatch(/^Bearer eyJ/);
      }
    });

    it("a configured Bearer token is sent as it is, with no exchange", async () => {
      airflow.bearer = "static-token";
      const result = await syncAirflow(store(), airflowConfig(airflow, "", "token: static-token"));
      expect(result.status).toBe("succeeded");
      expect(airflow.requests.every((request) => request.authorization === "Bearer static-token")).toBe(true);
      expect(result.requests).toBe(4);
    });

    it("an unchanged re-sync reads from the newest end date (less the overlap) and changes nothing", async () => {
      await syncAirflow(store(), airflowConfig(airflow));
      const before = await storedAirflow(store());
      airflow.requests = [];
      const result = await syncAirflow(store(), airflowConfig(airflow));
      expect(result.status).toBe("succeeded");
      expect(result.records).toEqual({});
      expect(await storedAirflow(store())).toEqual(before);
      expect(airflow.listings("load_transactions").map((request) => request.query.get("end_date_gte"))).toEqual(["2026-01-02T00:20:00.000Z"]);
      expect(result.requests).toBe(3 + token);
    });

    it("a run that was going is a refresh once it finished; a cleared and re-run run updates its record", async () => {
      await syncAirflow(store(), airflowConfig(airflow));
      Object.assign(airflow.run("load_transactions", "scheduled__2026-01-02T06:00:00+00:00"), { state: "success", endDate: "2026-01-02T06:45:00.000000+00:00" });
      Object.assign(airflow.run("load_transactions", "manual__2026-01-02T07:00:00+00:00"), { state: "failed", startDate: "2026-01-02T07:01:00+00:00", endDate: "2026-01-02T07:10:00.000000+00:00" });
      airflow.addRun("load_transactions", scheduled("2026-01-02T12:00:00", "success", "2026-01-02T12:30:00.000000"));
      // The failed run of Jan 1, 12:00 is cleared and succeeds on the second try.
      Object.assign(airflow.run("load_transactions", "scheduled__2026-01-01T12:00:00+00:00"), { state: "success", endDate: "2026-01-02T13:00:00.000000+00:00" });
      const result = await syncAirflow(store(), airflowConfig(airflow));
      expect(result.status).toBe("succeeded");
      expect(result.records).toEqual({ "load_transactions:data_refreshes": 4 });
      expect((await refreshLines(store())).filter((line) => line.includes("load_transactions"))).toEqual([
        "transactions success 2026-01-01T00:20:00.123456 transactions:load_transactions/scheduled__2026-01-01T00:00:00+00:00",
        "transactions success 2026-01-01T06:25:00.000000 transactions:load_transactions/scheduled__2026-01-01T06:00:00+00:00",
        "transactions success 2026-01-01T18:15:00.000000 transactions:load_transactions/scheduled__2026-01-01T18:00:00+00:00",
        "transactions success 2026-01-02T00:30:00.000000 transactions:load_transactions/scheduled__2026-01-02T00:00:00+00:00",
        "transactions success 2026-01-02T06:45:00.000000 transactions:load_transactions/scheduled__2026-01-02T06:00:00+00:00",
        "transactions failure 2026-01-02T07:10:00.000000 transactions:load_transactions/manual__2026-01-02T07:00:00+00:00",
        "transactions success 2026-01-02T12:30:00.000000 transactions:load_transactions/scheduled__2026-01-02T12:00:00+00:00",
        "transactions success 2026-01-02T13:00:00.000000 transactions:load_transactions/scheduled__2026-01-01T12:00:00+00:00",
      ]);
    });

    it("`since` bounds the first sync by end date", async () => {
      const result = await syncAirflow(store(), airflowConfig(airflow, "    since: 2026-01-02"));
      expect(result.status).toBe("succeeded");
      expect(await refreshLines(store())).toEqual(FIRST_SYNC_REFRESHES.filter((line) => line.includes(" 2026-01-02T")));
      expect(airflow.listings("build_marts")[0]!.query.get("end_date_gte")).toBe("2026-01-02T00:00:00.000Z");
    });

    it("a DAG Airflow does not have fails alone, in one line naming the server and its answer", async () => {
      const config = airflowConfig(airflow);
      config.sources.airflow!.datasets.transactions!.push("missing_dag");
      const result = await syncAirflow(store(), config);
      expect(result.status).toBe("partial");
      expect(result.errors).toEqual([
        version === 1
          ? `missing_dag: Airflow at ${airflow.url} answered 404 (DAG not found: DAG with dag_id: 'missing_dag' not found) to GET /api/v1/dags/missing_dag`
          : `missing_dag: Airflow at ${airflow.url} answered 404 (The Dag with ID: \`missing_dag\` was not found) to GET /api/v2/dags/missing_dag/dagRuns`,
      ]);
      expect(await refreshLines(store())).toEqual(FIRST_SYNC_REFRESHES);
    });

    it("a DAG the user may not read (403) fails alone", async () => {
      airflow.forbidden.add("ingest_chargebacks");
      const result = await syncAirflow(store(), airflowConfig(airflow));
      expect(result.status).toBe("partial");
      expect(result.errors).toEqual([
        `ingest_chargebacks: Airflow at ${airflow.url} answered 403 (${version === 1 ? "Forbidden: Access is denied" : "Forbidden"}) to GET /api/v${version}/dags/ingest_chargebacks/dagRuns`,
      ]);
      expect(await refreshLines(store())).toEqual(FIRST_SYNC_REFRESHES.filter((line) => !line.includes("ingest_chargebacks")));
    });

    it("refused credentials stop the source in one line that says what to check", async () => {
      airflow.password = "changed";
      const result = await syncAirflow(store(), airflowConfig(airflow));
      expect(result.status).toBe("failed");
      const hint = "; check sources.airflow.username and password (Airflow 3 exchanges them for a token at /auth/token) or sources.airflow.token";
      expect(result.errors).toEqual([
        version === 1
          ? `Airflow at ${airflow.url} answered 401 (Unauthorized) to GET /api/v1/dags/load_transactions/dagRuns${hint}`
          : `Airflow at ${airflow.url} answered 401 (Invalid credentials) to POST /auth/token${hint}`,
      ]);
      expect(result.requests).toBe(1);
    });

    it("a 5xx is retried; one that goes on fails its DAG after the retries", async () => {
      airflow.fail({ path: `/api/v${version}/dags/build_marts/dagRuns`, times: 1, status: 503 });
      expect((await syncAirflow(store(), airflowConfig(airflow))).status).toBe("succeeded");
      airflow.fail({ path: `/api/v${version}/dags/build_marts/dagRuns`, times: 2, status: 500 });
      const failed = await syncAirflow(store(), airflowConfig(airflow));
      expect(failed.status).toBe("partial");
      expect(failed.errors).toEqual([
        `build_marts: Airflow at ${airflow.url} answered 500 (${version === 1 ? "Internal Server Error: fault 500" : "fault 500"}) to GET /api/v${version}/dags/build_marts/dagRuns after 2 attempts`,
      ]);
    });

    it("a killed page is not lost: a failure on the second page keeps the first page and its cursor", async () => {
      airflow.fail({ path: `/api/v${version}/dags/load_transactions/dagRuns`, query: "offset=3", times: 2, status: 502 });
      const failed = await syncAirflow(store(), airflowConfig(airflow));
      expect(failed.status).toBe("partial");
      expect((await storedAirflow(store())).states).toContainEqual({ stream: "load_transactions:runs", cursor: { end_date: "2026-01-01T12:40:00.000000+00:00" } });
      airflow.requests = [];
      const rerun = await syncAirflow(store(), airflowConfig(airflow));
      expect(rerun.status).toBe("succeeded");
      // From the first page's newest end (12:40) less the overlap: the three runs left fit one page.
      expect(airflow.listings("load_transactions").map((request) => [request.query.get("end_date_gte"), request.query.get("offset")])).toEqual([["2026-01-01T12:30:00.000Z", "0"]]);
      expect(await refreshLines(store())).toEqual(FIRST_SYNC_REFRESHES);
    });
  });
}

describeEachDriver("Airflow 3 specifics", (store) => {
  let airflow: FakeAirflow;
  beforeEach(async () => {
    airflow = await new FakeAirflow(2).start();
    seedDags(airflow);
  });
  afterEach(() => airflow.close());

  it("a JWT that expires mid-sync is exchanged again once, and the sync goes on", async () => {
    let listings = 0;
    airflow.onRequest = (request) => {
      if (request.path.endsWith("/dagRuns") && ++listings === 2) airflow.expireTokens();
    };
    const result = await syncAirflow(store(), airflowConfig(airflow));
    expect(result.status).toBe("succeeded");
    expect(airflow.requests.filter((request) => request.path === "/auth/token")).toHaveLength(2);
    expect(await refreshLines(store())).toEqual(FIRST_SYNC_REFRESHES);
  });

  it("a 422 is said in FastAPI's own words: where and what", async () => {
    airflow.fail({
      path: "/api/v2/dags/build_marts/dagRuns",
      times: 1,
      status: 422,
      body: JSON.stringify({ detail: [{ type: "int_parsing", loc: ["query", "limit"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "x" }] }),
    });
    const result = await syncAirflow(store(), airflowConfig(airflow));
    expect(result.errors).toEqual([
      `build_marts: Airflow at ${airflow.url} answered 422 (query.limit: Input should be a valid integer, unable to parse string as an integer) to GET /api/v2/dags/build_marts/dagRuns`,
    ]);
  });
});
