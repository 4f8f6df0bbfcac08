/**
 * The demo's dbt and CDEvents records, built the way the dbt source and POST /api/ingest build
 * them: artifacts and events of the shapes dbt and CDEvents write, checked by the same schemas
 * and mapped by the same functions. Churn prediction's `customer-events` dataset comes from
 * dbt (freshness runs and failing tests); Search ranking's `ranker` service reports its
 * deployments, rollbacks and incidents as CDEvents. Its own random stream, so the rest of the
 * demo stays as it was.
 */
import { datasetIndex, qualityIssueRows, refreshRows } from "@/connectors/dbt/records";
import { runResultsSchemas, sourcesSchemas } from "@/connectors/dbt/payloads";
import { deploymentRecord, incidentRecord, type DeploymentEvents, type IncidentEvents } from "@/connectors/cdevents/records";
import { checkEvent, type IncidentEvent, type ServiceEvent } from "@/connectors/cdevents/payloads";
import { checkRecord } from "@/connectors/deploy-log";
import { asCDEvents } from "@/lib/ingest/cdevents";
import type { DemoData } from "./generate";
import { SeededRandom } from "./random";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

export const DBT_DATASET = "customer-events";
const DBT_SOURCE_NODE = "source.churn.segment.customer_events";
const DBT_MODEL_NODE = "model.churn.stg_customer_events";
const DBT_TESTS = [
  { id: "test.churn.not_null_stg_customer_events_customer_id.3f1a9c0d2e", message: "Got 412 results, configured to fail if != 0" },
  { id: "test.churn.unique_stg_customer_events_event_id.8b2e4f7a10", message: "Got 37 results, configured to fail if != 0" },
  { id: "test.churn.accepted_values_stg_customer_events_channel__web__app__email.c4d5e6f7a8", message: "Got 3 results, configured to fail if != 0" },
];
export const CDEVENTS_SERVICE = "ranker";

/**
 * Replaces the dbt dataset's deployment-log refreshes and quality issues by what dbt reports of
 * the same history: each successful load is a freshness run's max_loaded_at (dbt records no
 * failed loads), each issue a failing test of a `dbt build` at its time.
 */
export function dbtDemoRecords(data: DemoData, seed: number): void {
  const random = new SeededRandom(seed + 1);
  const datasets = datasetIndex({ [DBT_DATASET]: [DBT_SOURCE_NODE, DBT_MODEL_NODE] });
  const loads = data.dataRefreshes.filter((row) => row.dataset === DBT_DATASET && row.status === "success");
  const issues = data.dataQualityIssues.filter((row) => row.dataset === DBT_DATASET);
  data.dataRefreshes = data.dataRefreshes.filter((row) => row.dataset !== DBT_DATASET);
  data.dataQualityIssues = data.dataQualityIssues.filter((row) => row.dataset !== DBT_DATASET);
  for (const load of loads) {
    const loadedAt = load.finishedAt;
    const sources = sourcesSchemas[3].parse({
      metadata: { dbt_schema_version: "https://schemas.getdbt.com/dbt/sources/v3.json", dbt_version: "1.9.4", generated_at: iso(Date.parse(loadedAt) + 15 * 60_000), invocation_id: invocation(random) },
      results: [{ unique_id: DBT_SOURCE_NODE, status: "pass", max_loaded_at: loadedAt, snapshotted_at: iso(Date.parse(loadedAt) + 15 * 60_000), max_loaded_at_time_ago_in_s: 900, criteria: { warn_after: { count: 12, period: "hour" }, error_after: { count: 24, period: "hour" } }, adapter_response: {}, timing: [], thread_id: "Thread-1", execution_time: 0.4 }],
    });
    data.dataRefreshes.push(...refreshRows(sources, datasets));
  }
  for (const issue of issues) {
    const test = random.pick(DBT_TESTS);
    const runResults = runResultsSchemas[6].parse({
      metadata: { dbt_schema_version: "https://schemas.getdbt.com/dbt/run-results/v6.json", dbt_version: "1.9.4", generated_at: issue.detectedAt, invocation_id: invocation(random) },
      results: [{ unique_id: test.id, status: "fail", message: test.message, failures: Number(/\d+/.exec(test.message)![0]), timing: [], thread_id: "Thread-2", execution_time: 1.2, adapter_response: {}, compiled: true, relation_name: null }],
      elapsed_time: 42.1,
      args: { which: "build" },
    });
    data.dataQualityIssues.push(...qualityIssueRows(runResults, () => DBT_MODEL_NODE, datasets));
  }
}

/**
 * The `ranker` service's CDEvents: a deployment most working days, now and then rolled back
 * within hours, and incidents detected after some deployments and resolved later.
 */
export function cdeventsDemoRecords(data: DemoData, seed: number, start: number, end: number): void {
  const random = new SeededRandom(seed + 2);
  let number = 0;
  for (let day = start; day < end; day += DAY) {
    if ([0, 6].includes(new Date(day).getUTCDay()) || !random.chance(0.7)) continue;
    number += 1;
    const at = day + random.int(9 * HOUR, 18 * HOUR);
    const version = `pkg:oci/ranker@sha256%3A${random.sha()}`;
    const events: DeploymentEvents = { deployed: serviceEvent("service.deployed", `ranker-deploy-${number}`, at, version) };
    if (random.chance(0.08)) events.rolledback = serviceEvent("service.rolledback", `ranker-rollback-${number}`, at + random.float(0.5, 3) * HOUR, version);
    const deployment = asCDEvents(checkRecord(number, "", deploymentRecord(events)), events);
    if (deployment.ok) data.deployments.push(deployment.row as DemoData["deployments"][number]);
    if (events.rolledback || !random.chance(0.1)) continue;
    const detectedAt = at + random.float(0.5, 20) * HOUR;
    const resolvedAt = detectedAt + random.float(0.3, 4) * HOUR;
    if (detectedAt >= end) continue;
    const id = `ranker-incident-${number}`;
    const incident: IncidentEvents = {
      detected: incidentEvent("incident.detected", `${id}-detected`, detectedAt, id, "Ranking latency above 300 ms"),
      ...(resolvedAt < end && { resolved: incidentEvent("incident.resolved", `${id}-resolved`, resolvedAt, id, "Latency back under 300 ms") }),
    };
    const entry = asCDEvents(checkRecord(number, "", incidentRecord(id, incident)!), incident);
    if (entry.ok) data.incidents.push(entry.row as DemoData["incidents"][number]);
  }
}

function serviceEvent(type: "service.deployed" | "service.rolledback", id: string, at: number, artifactId: string): ServiceEvent {
  const checked = checkEvent({
    context: { version: "0.4.1", id, source: "/argocd/search", type: `dev.cdevents.${type}.0.2.0`, timestamp: iso(at) },
    subject: { id: CDEVENTS_SERVICE, source: "/clusters/prod/search", type: "service", content: { environment: { id: "production", source: "/clusters/prod" }, artifactId } },
  });
  if (checked.kind !== "service") throw new Error(`demo event refused: ${JSON.stringify(checked)}`);
  return checked.event;
}

function incidentEvent(type: "incident.detected" | "incident.resolved", id: string, at: number, incident: string, description: string): IncidentEvent {
  const checked = checkEvent({
    context: { version: "0.4.1", id, source: "/alertmanager/search", type: `dev.cdevents.${type}.0.2.0`, timestamp: iso(at) },
    subject: { id: incident, source: "/alertmanager/search", type: "incident", content: { description, environment: { id: "production" }, service: { id: CDEVENTS_SERVICE } } },
  });
  if (checked.kind !== "incident") throw new Error(`demo event refused: ${JSON.stringify(checked)}`);
  return checked.event;
}

function invocation(random: SeededRandom): string {
  const hex = random.sha();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
