/**
 * GET /metrics: the exposition parses (a Prometheus text-format parser reads it back), carries
 * every KPI of every project with the report's own numbers, the targets, statuses, scores and
 * each source's sync health; and only a read token, a viewer or public read may scrape it.
 */
import { readFileSync } from "node:fs";
import { afterEach, expect, it, vi } from "vitest";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { syncRuns } from "@/db/schema";
import { GET as getMetrics } from "@/app/metrics/route";
import { createIngestToken } from "@/lib/ingest/tokens";
import { kpiIds } from "@/lib/kpis/ids";
import { metricsExposition } from "@/lib/metrics/prometheus";
import { buildReport } from "@/lib/report/build";
import { setServerRuntime } from "@/lib/server/shared-runtime";
import { setTarget } from "@/lib/targets/store";
import { describeEachDriver } from "@/test/support/db";
import { deployment, insertDeployments } from "@/test/support/records";
import { CONFIG_YAML, testConfig } from "@/test/support/config";

const config = testConfig(`${CONFIG_YAML}sources:\n  deploy_logs: { paths: [logs/*.jsonl] }\n`);
/** The current window at this instant: 2026-02-21 … 2026-03-20 (28 days ending yesterday). */
const now = new Date("2026-03-21T12:00:00Z");
/** Served once a source has run (the next test). */
const SOURCE_SERIES = ["shipshape_source_last_success_timestamp_seconds", "shipshape_source_last_run_status"];
const PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

type Families = ReturnType<typeof parsePrometheusTextFormat>;
const samples = (families: Families, name: string) => families.find((family) => family.name === name)?.metrics ?? [];
const valueOf = (families: Families, name: string, labels: Record<string, string>) =>
  samples(families, name).find((sample) => Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value))?.value;

afterEach(() => vi.unstubAllEnvs());

describeEachDriver("GET /metrics", (store) => {
  it("carries every KPI of every project with the report's values, targets, statuses and scores, as gauges that parse", async () => {
    await insertDeployments(store(), [
      deployment("before", "2026-02-20T23:59:59Z"),
      ...["02-21", "02-28", "03-05", "03-10", "03-14", "03-18", "03-20"].map((day) => deployment(day, `2026-${day}T10:00:00Z`)),
    ]);
    await setTarget(store(), config, { project: "fraud", kpi: "deployment_frequency", value: 0.5, setBy: "po" }, new Date("2026-02-01T00:00:00Z"));
    const { contentType, body } = await metricsExposition(store(), config, PROMETHEUS_TEXT, now);
    expect(contentType).toBe(PROMETHEUS_TEXT);
    const families = parsePrometheusTextFormat(body);
    for (const family of families.filter((f) => f.name.startsWith("shipshape_kpi_"))) expect(family.type).toBe("GAUGE");

    const statusSeries = samples(families, "shipshape_kpi_status");
    for (const project of ["fraud", "churn"]) {
      const report = await buildReport(store(), config, { project, now });
      expect(new Set(statusSeries.filter((s) => s.labels!.project === project).map((s) => s.labels!.kpi))).toEqual(new Set(kpiIds));
      for (const entry of report.kpis) {
        const labels = { project, kpi: entry.id, dimension: entry.dimension ?? "" };
        // One series per status, 1 for the entry's own.
        const states = statusSeries.filter((s) => Object.entries(labels).every(([k, v]) => s.labels![k] === v));
        expect(states.map((s) => [s.labels!.status, s.value]).sort()).toEqual(
          ["at_risk", "met", "missed", "no_data", "no_target"].map((state) => [state, state === entry.status ? "1" : "0"]),
        );
        const value = valueOf(families, "shipshape_kpi_value", labels);
        expect(value === undefined ? null : Number(value)).toBe(entry.value);
        expect(Number(valueOf(families, "shipshape_kpi_sample_size", labels))).toBe(entry.sample_size);
      }
    }
    // 7 deployments in 28 days: 0.25 a day, below the target of 0.5 by more than 10 %.
    const fraudFrequency = { project: "fraud", kpi: "deployment_frequency", dimension: "" };
    expect(valueOf(families, "shipshape_kpi_value", fraudFrequency)).toBe("0.25");
    expect(valueOf(families, "shipshape_kpi_target", fraudFrequency)).toBe("0.5");
    expect(valueOf(families, "shipshape_kpi_status", { ...fraudFrequency, status: "missed" })).toBe("1");
    expect(samples(families, "shipshape_kpi_target")).toHaveLength(1);
    // A null value is no sample (lead time: no commits), while its status says no_data.
    expect(valueOf(families, "shipshape_kpi_value", { project: "fraud", kpi: "lead_time_for_changes" })).toBeUndefined();
    expect(valueOf(families, "shipshape_kpi_status", { project: "fraud", kpi: "lead_time_for_changes", status: "no_data" })).toBe("1");
    // Per-dimension entries are labelled with their dimension.
    expect(valueOf(families, "shipshape_kpi_status", { project: "fraud", kpi: "model_sla_compliance", dimension: "fraud-xgb", status: "no_data" })).toBe("1");
    // Quick Check: 0.25 a day → answer 4 → 6; no failed change → 10; no hotfix → 10; mean 26 / 3.
    expect(valueOf(families, "shipshape_dora_score", { project: "fraud", kpi: "deployment_frequency" })).toBe("6");
    expect(Number(valueOf(families, "shipshape_dora_score", { project: "fraud", kpi: "overall" }))).toBeCloseTo(26 / 3, 10);
    expect(valueOf(families, "shipshape_report_window_days", { project: "churn" })).toBe("28");

    // The Grafana dashboard in docs/ queries only series that exist.
    const dashboard = JSON.parse(readFileSync("docs/grafana-dashboard.json", "utf8")) as { panels: { targets: { expr: string }[] }[] };
    const queried = new Set(dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => target.expr.match(/shipshape_\w+/g) ?? [])));
    const served = new Set([...families.map((family) => family.name), ...SOURCE_SERIES]);
    expect([...queried].filter((name) => !served.has(name))).toEqual([]);
  });

  it("says each configured source's last success, last status and records fetched", async () => {
    await store()
      .db.insert(syncRuns)
      .values([
        { source: "deploy_logs", trigger: "schedule", startedAt: "2026-03-20T10:00:00Z", finishedAt: "2026-03-20T10:00:05Z", status: "succeeded", records: { "logs/a.jsonl": 12 } },
        { source: "deploy_logs", trigger: "schedule", startedAt: "2026-03-20T10:05:00Z", finishedAt: "2026-03-20T10:05:02Z", status: "partial", records: { "logs/a.jsonl": 3, "logs/b.jsonl": 0 }, error: "logs/b.jsonl: unreadable" },
      ]);
    const families = parsePrometheusTextFormat((await metricsExposition(store(), config, PROMETHEUS_TEXT, now)).body);
    expect(valueOf(families, "shipshape_source_last_success_timestamp_seconds", { source: "deploy_logs" })).toBe(String(Date.parse("2026-03-20T10:00:05Z") / 1000));
    expect(valueOf(families, "shipshape_source_last_run_timestamp_seconds", { source: "deploy_logs" })).toBe(String(Date.parse("2026-03-20T10:05:00Z") / 1000));
    expect(samples(families, "shipshape_source_last_run_status").map((s) => [s.labels!.status, s.value])).toEqual([
      ["running", "0"],
      ["succeeded", "0"],
      ["partial", "1"],
      ["failed", "0"],
    ]);
    expect(samples(families, "shipshape_source_last_run_records").map((s) => [s.labels!.kind, s.value])).toEqual([
      ["logs/a.jsonl", "3"],
      ["logs/b.jsonl", "0"],
    ]);
  });

  it("answers a read token, or anyone with SHIPSHAPE_PUBLIC_READ=1; 401 with one line otherwise; OpenMetrics when asked", async () => {
    setServerRuntime({ config, store: store() });
    const { token: readToken } = await createIngestToken(store(), "prometheus", "read");
    const { token: ingestToken } = await createIngestToken(store(), "ci");
    const scrape = (headers: Record<string, string>) => getMetrics(new Request("http://localhost/metrics", { headers }));

    const withToken = await scrape({ authorization: `Bearer ${readToken}` });
    expect(withToken.status).toBe(200);
    expect(withToken.headers.get("content-type")).toBe(PROMETHEUS_TEXT);
    expect(samples(parsePrometheusTextFormat(await withToken.text()), "shipshape_kpi_status").length).toBeGreaterThan(0);

    const wrongScope = await scrape({ authorization: `Bearer ${ingestToken}` });
    expect([wrongScope.status, await wrongScope.text()]).toEqual([401, "GET /metrics: the bearer token is not a read token (shipshape tokens create --scope read)\n"]);
    const anonymous = await scrape({});
    expect([anonymous.status, await anonymous.text()]).toEqual([401, "GET /metrics: send Authorization: Bearer <read token>, or set SHIPSHAPE_PUBLIC_READ=1\n"]);

    vi.stubEnv("SHIPSHAPE_PUBLIC_READ", "1");
    const openMetrics = await scrape({ accept: "application/openmetrics-text; version=1.0.0" });
    expect(openMetrics.status).toBe(200);
    expect(openMetrics.headers.get("content-type")).toBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
    expect((await openMetrics.text()).trimEnd().endsWith("# EOF")).toBe(true);
  });
});
