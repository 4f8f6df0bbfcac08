import { beforeEach, expect, it } from "vitest";
import { DELETE, GET, POST, PUT } from "../../app/api/projects/[slug]/targets/route";
import { setServerRuntime } from "../../lib/server-runtime";
import { describeEachDriver } from "../support/db";
import { testConfig } from "../kpis/support";

const config = testConfig();
const params = (slug: string) => ({ params: Promise.resolve({ slug }) });
const url = (slug: string, query = "") => `http://localhost/api/projects/${slug}/targets${query}`;
const send = (handler: typeof PUT, slug: string, body: string) =>
  handler(new Request(url(slug), { method: "PUT", body, headers: { "content-type": "application/json" } }), params(slug));

describeEachDriver("targets routes", (store) => {
  beforeEach(() => setServerRuntime({ config, store: store() }));

  it("PUT and POST set a target; GET lists the targets in force and the history", async () => {
    const put = await send(PUT, "fraud", JSON.stringify({ kpi: "deployment_frequency", value: 1 }));
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ changed: true });
    const post = await send(POST, "fraud", JSON.stringify({ kpi: "data_freshness_lag", dimension: "transactions", value: 6, warn: 2 }));
    expect(await post.json()).toEqual({ changed: true });
    expect(await (await send(PUT, "fraud", JSON.stringify({ kpi: "deployment_frequency", value: 1 }))).json()).toEqual({ changed: false });

    const response = await GET(new Request(url("fraud")), params("fraud"));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.targets).toEqual([
      { kpi: "data_freshness_lag", dimension: "transactions", value: 6, warn: 2 },
      { kpi: "deployment_frequency", dimension: null, value: 1, warn: 0.1 },
    ]);
    expect(body.history).toEqual([
      expect.objectContaining({ kpi: "deployment_frequency", dimension: null, setBy: "web", old: null, new: { value: 1, warn: null } }),
      expect.objectContaining({ kpi: "data_freshness_lag", dimension: "transactions", setBy: "web", new: { value: 6, warn: 2 } }),
    ]);
  });

  it("DELETE removes a target and keeps the change in the history", async () => {
    await send(PUT, "fraud", JSON.stringify({ kpi: "releases", value: 3 }));
    const removed = await DELETE(new Request(url("fraud", "?kpi=releases"), { method: "DELETE" }), params("fraud"));
    expect(await removed.json()).toEqual({ changed: true });
    const body = await (await GET(new Request(url("fraud")), params("fraud"))).json();
    expect(body.targets).toEqual([]);
    expect(body.history.map((change: { new: unknown }) => change.new)).toEqual([{ value: 3, warn: null }, null]);
  });

  it("answers 404 for an unknown project and 400 with one line for a bad body", async () => {
    const cases: [Response, number, string][] = [
      [await GET(new Request(url("nope")), params("nope")), 404, 'unknown project "nope" (projects: fraud, churn)'],
      [await send(PUT, "nope", JSON.stringify({ kpi: "releases", value: 3 })), 404, 'unknown project "nope" (projects: fraud, churn)'],
      [await send(PUT, "fraud", "{not json"), 400, "the body must be JSON"],
      [await send(PUT, "fraud", JSON.stringify({ kpi: "releases" })), 400, "value: Invalid input: expected number, received undefined"],
      [await send(PUT, "fraud", JSON.stringify({ kpi: "releases", value: "3" })), 400, "value: Invalid input: expected number, received string"],
      [await send(PUT, "fraud", JSON.stringify({ kpi: "releases", value: 3, valeu: 4 })), 400, 'body: Unrecognized key: "valeu"'],
      [await send(PUT, "fraud", JSON.stringify({ kpi: "releases", value: 3, dimension: "transactions" })), 400, "releases: has no dimensions; leave the dimension out"],
      [await send(PUT, "fraud", JSON.stringify({ kpi: "rework_rate", value: 120 })), 400, "rework_rate: a percentage target must be between 0 and 100"],
      [await DELETE(new Request(url("fraud"), { method: "DELETE" }), params("fraud")), 400, "kpi: Invalid input: expected string, received undefined"],
    ];
    for (const [response, status, error] of cases) {
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error });
    }
    expect((await (await GET(new Request(url("fraud")), params("fraud"))).json()).history).toEqual([]);
  });
});
