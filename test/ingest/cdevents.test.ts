/**
 * CDEvents on POST /api/ingest, built from the CDEvents spec's own published events
 * (test/fixtures/cdevents: examples/ of spec v0.3.0, conformance/ of v0.4.1): deployed and
 * upgraded services are deployments, a rollback marks the deployment it rolls back, detected
 * and resolved are one incident, other types are ignored and counted. Idempotent; a bad event
 * is one line and the good ones are kept; a stream gives the DORA values of the equivalent
 * deployment log.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { POST } from "@/app/api/ingest/route";
import { parseConfig, type Config } from "@/lib/config/load";
import { changeFailureRate } from "@/lib/kpis/definitions/change-failure-rate";
import { deploymentFrequency } from "@/lib/kpis/definitions/deployment-frequency";
import { mttr } from "@/lib/kpis/definitions/mttr";
import { reworkRate } from "@/lib/kpis/definitions/rework-rate";
import { timeToRestore } from "@/lib/kpis/definitions/time-to-restore";
import { createIngestToken } from "@/lib/ingest/tokens";
import { setServerRuntime } from "@/lib/server/shared-runtime";
import { contextFor } from "@/test/kpis/support";
import { describeEachDriver } from "@/test/support/db";

const URL = "http://localhost/api/ingest";
const VERSIONS = ["v0.3.0", "v0.4.1"] as const;
type Version = (typeof VERSIONS)[number];

/** A published event file, as text (pretty-printed, as the spec writes it). */
const eventText = (version: Version, name: string) => readFileSync(join(import.meta.dirname, "..", "fixtures", "cdevents", version, `${name}.json`), "utf8");
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a CDEvent is JSON of many shapes
type Event = Record<string, any>;
const published = (version: Version, name: string): Event => JSON.parse(eventText(version, name));

/** A published event with its ids, times and subject changed, as a CD system would send its own. */
function event(version: Version, name: string, change: { id: string; at: string; subject: string; environment?: string; service?: string; artifact?: string }): Event {
  const value = published(version, name);
  value.context.id = change.id;
  value.context.timestamp = change.at;
  value.subject.id = change.subject;
  if (change.environment) value.subject.content.environment.id = change.environment;
  if (change.service) value.subject.content.service.id = change.service;
  if (change.artifact) value.subject.content.artifactId = change.artifact;
  return value;
}

const CONFIG = `
timezone: UTC
projects:
  - slug: fraud
    name: Fraud detection
    services: [fraud-api]
`;

describeEachDriver("CDEvents on POST /api/ingest", (store) => {
  let token: string;
  let config: Config;
  beforeEach(async () => {
    config = parseConfig(CONFIG, "shipshape.yaml", {});
    setServerRuntime({ config, store: store() });
    ({ token } = await createIngestToken(store(), "cd"));
  });

  const post = async (body: string) => {
    const response = await POST(new Request(URL, { method: "POST", body, headers: { authorization: `Bearer ${token}` } }));
    return { status: response.status, body: await response.json() };
  };
  const deploymentRows = () =>
    store().rows(sql`SELECT source, external_id, service, environment, status, kind, to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS finished_at, version FROM deployments ORDER BY external_id`);
  const incidentRows = () =>
    store().rows(
      sql`SELECT source, external_id, service, title, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started_at, to_char(resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS resolved_at FROM incidents ORDER BY external_id`,
    );

  for (const version of VERSIONS) {
    it(`takes each published ${version} event as the spec writes it (one pretty-printed object): deployed, upgraded, rolled back, an incident detected and resolved; other types ignored`, async () => {
      const artifact = "pkg:oci/myapp@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427";
      const deployment = { source: "cdevents", external_id: "271069a8-fc18-44f1-b38f-9d70a1695819", service: "mySubject123", environment: "test123", kind: "code", finished_at: "2023-03-20T14:27:05.315384Z", version: artifact };

      expect(await post(eventText(version, "service_deployed"))).toEqual({ status: 200, body: { accepted: 1, rejected: [], ignored: 0 } });
      expect(await deploymentRows()).toEqual([{ ...deployment, status: "success" }]);
      // The examples share one context id: the upgrade is the same deployment sent again.
      expect(await post(eventText(version, "service_upgraded"))).toEqual({ status: 200, body: { accepted: 1, rejected: [], ignored: 0 } });
      expect(await deploymentRows()).toEqual([{ ...deployment, status: "success" }]);
      // The rollback (at the same instant, in the examples) marks it.
      expect(await post(eventText(version, "service_rolledback"))).toEqual({ status: 200, body: { accepted: 1, rejected: [], ignored: 0 } });
      expect(await deploymentRows()).toEqual([{ ...deployment, status: "rolled_back" }]);

      const incident = { source: "cdevents", external_id: "incident-123", service: "myApp", title: "Response time above threshold of 100ms", started_at: "2022-11-11T13:52:20.079Z" };
      expect(await post(eventText(version, "incident_detected"))).toEqual({ status: 200, body: { accepted: 1, rejected: [], ignored: 0 } });
      expect(await incidentRows()).toEqual([{ ...incident, resolved_at: null }]);
      expect(await post(eventText(version, "incident_resolved"))).toEqual({ status: 200, body: { accepted: 1, rejected: [], ignored: 0 } });
      expect(await incidentRows()).toEqual([{ ...incident, resolved_at: "2022-11-11T13:52:20.079Z" }]);

      for (const ignoredType of ["pipelinerun_finished", "build_finished"]) {
        expect(await post(eventText(version, ignoredType))).toEqual({ status: 200, body: { accepted: 0, rejected: [], ignored: 1 } });
      }
      expect(await deploymentRows()).toHaveLength(1);
      expect(await store().rows(sql`SELECT id FROM ingest_rejections`)).toEqual([]);
    });
  }

  it("is idempotent: a stream sent twice, as a JSON array and as JSON Lines, or event by event in any order, gives the same rows", async () => {
    const stream = [
      event("v0.4.1", "service_deployed", { id: "d1", at: "2026-03-01T10:00:00Z", subject: "fraud-api", environment: "production", artifact: "fraud-api@1.0" }),
      event("v0.4.1", "service_upgraded", { id: "d2", at: "2026-03-03T10:00:00Z", subject: "fraud-api", environment: "production", artifact: "fraud-api@1.1" }),
      event("v0.4.1", "service_rolledback", { id: "r1", at: "2026-03-03T12:00:00Z", subject: "fraud-api", environment: "production", artifact: "fraud-api@1.0" }),
      event("v0.4.1", "incident_detected", { id: "e1", at: "2026-03-03T11:00:00Z", subject: "inc-1", service: "fraud-api" }),
      event("v0.4.1", "incident_resolved", { id: "e2", at: "2026-03-03T12:30:00Z", subject: "inc-1", service: "fraud-api" }),
      published("v0.4.1", "pipelinerun_finished"),
    ];
    const array = JSON.stringify(stream);
    expect(await post(array)).toEqual({ status: 200, body: { accepted: 5, rejected: [], ignored: 1 } });
    const snapshot = { deployments: await deploymentRows(), incidents: await incidentRows() };
    expect(snapshot.deployments.map((row) => `${(row as { external_id: string }).external_id}:${(row as { status: string }).status}`)).toEqual(["d1:success", "d2:rolled_back"]);
    expect(snapshot.incidents).toMatchObject([{ external_id: "inc-1", started_at: "2026-03-03T11:00:00.000Z", resolved_at: "2026-03-03T12:30:00.000Z" }]);

    expect(await post(array)).toEqual({ status: 200, body: { accepted: 5, rejected: [], ignored: 1 } });
    expect(await post(stream.map((value) => JSON.stringify(value)).join("\n"))).toEqual({ status: 200, body: { accepted: 5, rejected: [], ignored: 1 } });
    // One at a time, the deployed events last: the rollback of the stored d2 stays.
    for (const index of [0, 2, 3, 4, 1]) await post(JSON.stringify(stream[index]));
    expect({ deployments: await deploymentRows(), incidents: await incidentRows() }).toEqual(snapshot);
  });

  it("rejects each bad event with one line naming what is wrong, and keeps the good ones", async () => {
    const good = event("v0.3.0", "service_deployed", { id: "good", at: "2026-03-01T10:00:00Z", subject: "fraud-api", environment: "production" });
    const noEnvironment = event("v0.4.1", "service_deployed", { id: "x1", at: "2026-03-01T10:00:00Z", subject: "fraud-api" });
    delete noEnvironment.subject.content.environment;
    const naive = event("v0.4.1", "service_deployed", { id: "x2", at: "2026-03-01T10:00:00", subject: "fraud-api" });
    const nextSpec = event("v0.4.1", "service_deployed", { id: "x3", at: "2026-03-01T10:00:00Z", subject: "fraud-api" });
    nextSpec.context.version = "0.5.0";
    const wrongSubject = event("v0.4.1", "service_deployed", { id: "x4", at: "2026-03-01T10:00:00Z", subject: "fraud-api" });
    wrongSubject.subject.type = "artifact";
    const notAType = { ...good, context: { ...good.context, type: "dev.cdevents.service" } };
    const resolvedOnly = event("v0.4.1", "incident_resolved", { id: "x5", at: "2026-03-02T10:00:00Z", subject: "inc-9" });
    const lonelyRollback = event("v0.4.1", "service_rolledback", { id: "x6", at: "2026-03-02T10:00:00Z", subject: "other-api", environment: "production" });
    const resolvedFirst = event("v0.4.1", "incident_detected", { id: "x7", at: "2026-03-05T10:00:00Z", subject: "inc-8" });
    const resolvedBeforeDetected = event("v0.4.1", "incident_resolved", { id: "x8", at: "2026-03-04T10:00:00Z", subject: "inc-8" });
    const body = [good, noEnvironment, naive, nextSpec, wrongSubject, notAType, resolvedOnly, lonelyRollback, resolvedFirst, resolvedBeforeDetected, { type: "deployment", id: "log-1" }];

    const answer = await post(JSON.stringify(body));
    expect(answer.status).toBe(207);
    expect(answer.body).toEqual({
      accepted: 2,
      ignored: 0,
      rejected: [
        { line: 2, error: "a service.deployed event without subject.content.environment" },
        { line: 3, error: 'a service.deployed event whose context.timestamp must be an RFC 3339 timestamp with an offset or Z (got "2026-03-01T10:00:00")' },
        { line: 4, error: 'context.version "0.5.0" is not a CDEvents spec version Shipshape reads (0.3 or 0.4)' },
        { line: 5, error: 'a service.deployed event whose subject.type must be "service" (got "artifact")' },
        { line: 6, error: 'context.type "dev.cdevents.service" is not a CDEvents type (dev.cdevents.<subject>.<predicate>.<version>)' },
        { line: 7, error: 'incident.resolved of incident "inc-9", which no incident.detected started: send its incident.detected first (this line is kept to send again)' },
        { line: 8, error: 'service.rolledback of "other-api" in "production" at 2026-03-02T10:00:00Z: no earlier deployment of it in that environment was received, so nothing is marked rolled back (send its service.deployed first; this line is kept to send again)' },
        { line: 10, error: 'incident.resolved of incident "inc-8" at 2026-03-04T10:00:00Z is before its incident.detected at 2026-03-05T10:00:00Z' },
        { line: 11, error: "missing field service; missing field environment; missing field status; missing field finished_at" },
      ],
    });
    expect(await deploymentRows()).toMatchObject([{ external_id: "good", status: "success" }]);
    // inc-8's detection is kept, open: its resolution came before it.
    expect(await incidentRows()).toMatchObject([{ external_id: "inc-8", started_at: "2026-03-05T10:00:00.000Z", resolved_at: null }]);
    const kept = await store().rows<{ line: number; raw: string }>(sql`SELECT line, raw FROM ingest_rejections ORDER BY line`);
    expect(kept.map((row) => row.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 10, 11]);
    expect(JSON.parse(kept[5]!.raw)).toEqual(resolvedOnly);

    // The kept lines sent again after the events they needed: stored.
    await post(JSON.stringify(event("v0.4.1", "incident_detected", { id: "x9", at: "2026-03-01T10:00:00Z", subject: "inc-9" })));
    expect(await post(kept[5]!.raw)).toEqual({ status: 200, body: { accepted: 1, rejected: [], ignored: 0 } });
    expect(await incidentRows()).toMatchObject([{ external_id: "inc-8" }, { external_id: "inc-9", resolved_at: "2026-03-02T10:00:00.000Z" }]);
  });

  it("gives the same DORA values as the equivalent deployment log (hand-computed)", async () => {
    // Ten days of fraud-api in production, UTC [2026-03-01, 2026-03-11):
    //   d1 03-01 10:00, d2 03-03 10:00 rolled back at 12:00, d3 03-05 09:00, staging deploy 03-06 (not production),
    //   d5 03-08 08:00; inc-1 03-05 10:00 → 13:30 (3.5 h, after d3), inc-2 03-09 00:00 → 03-11 06:00 (resolved after the window, after d5).
    const at = (day: string, time: string) => `2026-03-${day}T${time}:00Z`;
    const cdevents = [
      event("v0.4.1", "service_deployed", { id: "d1", at: at("01", "10:00"), subject: "fraud-api", environment: "production" }),
      event("v0.3.0", "service_upgraded", { id: "d2", at: at("03", "10:00"), subject: "fraud-api", environment: "production" }),
      event("v0.4.1", "service_rolledback", { id: "r2", at: at("03", "12:00"), subject: "fraud-api", environment: "production" }),
      event("v0.4.1", "service_deployed", { id: "d3", at: at("05", "09:00"), subject: "fraud-api", environment: "production" }),
      event("v0.4.1", "incident_detected", { id: "i1-detected", at: at("05", "10:00"), subject: "inc-1", service: "fraud-api" }),
      event("v0.4.1", "incident_resolved", { id: "i1-resolved", at: at("05", "13:30"), subject: "inc-1", service: "fraud-api" }),
      event("v0.4.1", "service_deployed", { id: "d4", at: at("06", "09:00"), subject: "fraud-api", environment: "staging" }),
      event("v0.4.1", "build_finished", { id: "b1", at: at("07", "09:00"), subject: "build-7" }),
      event("v0.4.1", "service_deployed", { id: "d5", at: at("08", "08:00"), subject: "fraud-api", environment: "production" }),
      event("v0.4.1", "incident_detected", { id: "i2-detected", at: at("09", "00:00"), subject: "inc-2", service: "fraud-api" }),
      event("v0.4.1", "incident_resolved", { id: "i2-resolved", at: "2026-03-11T06:00:00Z", subject: "inc-2", service: "fraud-api" }),
    ];
    const deployment = (id: string, finished: string, status = "success", environment = "production") => ({ type: "deployment", id, service: "fraud-api", environment, status, finished_at: finished });
    const log = [
      deployment("d1", at("01", "10:00")),
      deployment("d2", at("03", "10:00"), "rolled_back"),
      deployment("d3", at("05", "09:00")),
      deployment("d4", at("06", "09:00"), "success", "staging"),
      deployment("d5", at("08", "08:00")),
      { type: "incident", id: "inc-1", service: "fraud-api", started_at: at("05", "10:00"), resolved_at: at("05", "13:30") },
      { type: "incident", id: "inc-2", service: "fraud-api", started_at: at("09", "00:00"), resolved_at: "2026-03-11T06:00:00Z" },
    ];
    const window = contextFor(config, "fraud", { from: "2026-03-01", to: "2026-03-10" });
    const dora = async () => ({
      deployment_frequency: (await deploymentFrequency.compute(store(), window))[0],
      change_failure_rate: (await changeFailureRate.compute(store(), window))[0],
      time_to_restore: (await timeToRestore.compute(store(), window))[0],
      mttr: (await mttr.compute(store(), window))[0],
      rework_rate: (await reworkRate.compute(store(), window))[0],
    });
    const expected = {
      // d1, d2 (rolled back: it reached production), d3, d5 ÷ 10 days.
      deployment_frequency: { dimension: null, value: 0.4, sampleSize: 4 },
      // d2 rolled back, d3 (inc-1 an hour later), d5 (inc-2 16 h later): 3 of 4.
      change_failure_rate: { dimension: null, value: 75, sampleSize: 4 },
      // Only inc-1 was resolved in the window: 3.5 h.
      time_to_restore: { dimension: null, value: 3.5, sampleSize: 1 },
      mttr: { dimension: null, value: 3.5, sampleSize: 1 },
      rework_rate: { dimension: null, value: 0, sampleSize: 4 },
    };

    expect(await post(cdevents.map((value) => JSON.stringify(value)).join("\n"))).toEqual({ status: 200, body: { accepted: 10, rejected: [], ignored: 1 } });
    const fromEvents = await dora();
    expect(fromEvents).toMatchObject(expected);

    await store().db.execute(sql`TRUNCATE deployments, incidents`);
    expect(await post(log.map((value) => JSON.stringify(value)).join("\n"))).toEqual({ status: 200, body: { accepted: 7, rejected: [] } });
    expect(await dora()).toEqual(fromEvents);
  });
});
