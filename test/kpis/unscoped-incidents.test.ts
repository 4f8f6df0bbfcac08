/**
 * Incidents that name nothing (kpis.md, "Incidents that name no service" and "Project scope"):
 * a deployment-log incident without service, deployment_id and commit_sha is a candidate of
 * every project, which attributes it to its latest completed production deployment within
 * incident_window_hours; it belongs to each project that does. One naming `project` is that
 * project's only. Two projects, the numbers worked out by hand below.
 *
 * The timeline is Apache DevLake's own incident-to-deployment test (plugins/dora/e2e,
 * connect_incident_to_deploy_test.go, with prev_success_deployment_commit/
 * cicd_deployment_commits_after.csv and connect_incident_to_deployment/raw_tables/incidents.csv):
 * its deployments — their CI scopes (cicd1 and cicd2 are project1's, cicd3 project2's), results,
 * environments and finish times — and its incidents' times. DevLake attributes its board
 * incident of 15 Sep 01:56:16 to pipeline2 (the 14 Sep deployments), as Shipshape does here
 * (deployment r4), and its incidents of November to pipeline7 (23 Sep), seven weeks earlier:
 * DevLake has no window; with Shipshape's 168 hours they are attributed to nothing.
 */
import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { parseConfig } from "@/lib/config/load";
import { ingestFile } from "@/lib/ingest/ingest";
import { buildReport } from "@/lib/report/build";
import { describeEachDriver } from "@/test/support/db";
import { line, writeFiles } from "@/test/ingest/corpus";

const config = parseConfig(
  `timezone: UTC
projects:
  - { slug: one, name: Project one, services: [cicd1, cicd2] }
  - { slug: two, name: Project two, services: [cicd3] }
`,
  "shipshape.yaml",
  {},
);

/** DevLake's deployment rows: id, CI scope (our service), result, finish day in September 2022, environment. */
const devlakeDeployments: [string, string, "success" | "failure", number, string][] = [
  ["r1", "cicd1", "success", 10, "PRODUCTION"],
  ["r2", "cicd1", "success", 11, "PRODUCTION"],
  ["r3", "cicd2", "success", 13, "PRODUCTION"],
  ["r4", "cicd2", "success", 14, "PRODUCTION"],
  ["r5", "cicd1", "success", 15, "PRODUCTION"],
  ["r6", "cicd1", "success", 16, "PRODUCTION"],
  ["r7", "cicd1", "success", 17, "STAGING"],
  ["r8", "cicd1", "success", 18, "STAGING"],
  ["r9", "cicd1", "success", 19, "PRODUCTION"],
  ["r10", "cicd1", "success", 20, "PRODUCTION"],
  ["r11", "cicd2", "failure", 21, "PRODUCTION"],
  ["r12", "cicd2", "success", 22, "PRODUCTION"],
  ["r13", "cicd2", "success", 23, "PRODUCTION"],
  ["r14", "cicd3", "failure", 19, "PRODUCTION"],
  ["r15", "cicd3", "success", 13, "PRODUCTION"],
  // DevLake's has no environment; Shipshape requires one: any that is not production.
  ["r16", "cicd3", "success", 14, "qa"],
];

const deploymentLines = devlakeDeployments.map(([id, service, status, day, environment]) =>
  line({ type: "deployment", id, service, environment, status, finished_at: `2022-09-${String(day).padStart(2, "0")}T22:51:47Z` }),
);

const incidentLines = [
  // DevLake's board incident: nothing named. One: r4 (14 Sep 22:51:47, 3 h 04 min before). Two: r15 (13 Sep, 27 h before; r16 is not production).
  line({ type: "incident", id: "i1", started_at: "2022-09-15T01:56:16Z", resolved_at: "2022-09-15T02:13:18Z" }),
  // DevLake's repo3 incident: a service no project has — nobody's.
  line({ type: "incident", id: "i2", service: "repo3", started_at: "2022-09-15T01:56:06Z", resolved_at: "2022-09-15T02:13:18Z" }),
  // Nothing named. One: r11 failed, so r10 (20 Sep 22:51:47, 24.6 h before). Two: r14 failed, r15 is 192.6 h before (> 168): not two's.
  line({ type: "incident", id: "i3", started_at: "2022-09-21T23:30:00Z", resolved_at: "2022-09-22T05:30:00Z" }),
  // Two's only: r15, 145.1 h before.
  line({ type: "incident", id: "i4", project: "two", started_at: "2022-09-20T00:00:00Z", resolved_at: "2022-09-20T02:00:00Z" }),
  // One's only, before any deployment: attributed to nothing, still one's incident (168 h to restore).
  line({ type: "incident", id: "i5", project: "one", started_at: "2022-09-05T00:00:00Z", resolved_at: "2022-09-12T00:00:00Z" }),
  // DevLake's November incident: 51 days after the last deployment — attributed to nothing, nobody's.
  line({ type: "incident", id: "i6", started_at: "2022-11-13T23:37:21Z", resolved_at: "2022-11-15T22:37:21Z" }),
  // Nothing named, before every deployment: nobody's (240 h would move both medians).
  line({ type: "incident", id: "i7", started_at: "2022-09-01T00:00:00Z", resolved_at: "2022-09-11T00:00:00Z" }),
  // One's only although it names two's service: attributed to r15 (cicd3's), which is not one's deployment; never two's.
  line({ type: "incident", id: "i8", project: "one", service: "cicd3", started_at: "2022-09-16T00:00:00Z", resolved_at: "2022-09-16T01:00:00Z" }),
];

/** 17 min 2 s, i1's time to restore. */
const I1_HOURS = 1022 / 3600;

describeEachDriver("incidents that name nothing, two projects", (store) => {
  async function ingest(lines: string[]) {
    const files = writeFiles({ "log.jsonl": lines.join("\n") });
    const rejected: string[] = [];
    const result = await ingestFile(store(), files["log.jsonl"]!, { config, onRejected: ({ line, reason }) => rejected.push(`${line}: ${reason}`) });
    return { result, rejected };
  }

  const valueOf = async (project: string, from: string, to: string) => {
    const report = await buildReport(store(), config, { project, from, to, now: new Date("2023-01-01T00:00:00Z") });
    return (id: string) => report.kpis.find((kpi) => kpi.id === id && kpi.dimension === null)!;
  };

  it("each project attributes them to its own latest deployment; naming a project makes it that project's only", async () => {
    const { result } = await ingest([...deploymentLines, ...incidentLines]);
    expect(result).toMatchObject({ accepted: 24, rejected: 0 });

    const one = await valueOf("one", "2022-09-10", "2022-09-23");
    // Completed production deployments of cicd1/cicd2 in the window: r1–r6, r9, r10, r12, r13 = 10
    // (r7, r8 staging; r11 failed). Failed: r4 (i1) and r10 (i3).
    expect(one("change_failure_rate")).toMatchObject({ value: 20, sample_size: 10 });
    // One's incidents resolved in the window: i1 (17 min 2 s), i3 (6 h), i5 (168 h), i8 (1 h).
    expect(one("time_to_restore")).toMatchObject({ value: 3.5, sample_size: 4 }); // (1 + 6) / 2
    expect(one("mttr").value).toBeCloseTo((I1_HOURS + 6 + 168 + 1) / 4, 9); // 43.8209…
    expect(one("deployment_frequency")).toMatchObject({ value: 10 / 14 });

    const two = await valueOf("two", "2022-09-10", "2022-09-23");
    // Two's only completed production deployment is r15 (r14 failed, r16 went to qa): i1 and i4 make it a failed change.
    expect(two("change_failure_rate")).toMatchObject({ value: 100, sample_size: 1 });
    // i1 (17 min 2 s) and i4 (2 h); not i3 (no deployment of two within 168 h), not i8 (one's).
    expect(two("time_to_restore")).toMatchObject({ sample_size: 2 });
    expect(two("time_to_restore").value).toBeCloseTo((I1_HOURS + 2) / 2, 9); // 1.1419…
    expect(two("mttr").value).toBeCloseTo((I1_HOURS + 2) / 2, 9);

    // November: DevLake's incidents there are attributed to nothing and count for no project.
    for (const project of ["one", "two"]) {
      const november = await valueOf(project, "2022-11-01", "2022-11-30");
      expect(november("time_to_restore")).toMatchObject({ value: null, status: "no_data", sample_size: 0 });
      expect(november("mttr")).toMatchObject({ value: null, sample_size: 0 });
    }
  });

  it("a project's own incident_window_hours decides: with 200 hours, two also takes i3", async () => {
    const wide = parseConfig(
      `timezone: UTC
projects:
  - { slug: one, name: Project one, services: [cicd1, cicd2] }
  - { slug: two, name: Project two, services: [cicd3], incident_window_hours: 200 }
`,
      "shipshape.yaml",
      {},
    );
    await ingest([...deploymentLines, ...incidentLines]);
    const report = await buildReport(store(), wide, { project: "two", from: "2022-09-10", to: "2022-09-23", now: new Date("2023-01-01T00:00:00Z") });
    const ttr = report.kpis.find((kpi) => kpi.id === "time_to_restore")!;
    // i1, i4 and now i3 (r15, 192.6 h before): median of 0.28, 2, 6 h.
    expect(ttr).toMatchObject({ value: 2, sample_size: 3 });
  });

  it("rejects an incident naming a project that is not configured, or no slug at all; stores the field", async () => {
    const { result, rejected } = await ingest([
      line({ type: "incident", id: "x1", project: "three", started_at: "2022-09-15T00:00:00Z" }),
      line({ type: "incident", id: "x2", project: "Project One", started_at: "2022-09-15T00:00:00Z" }),
      line({ type: "incident", id: "x3", project: "two", started_at: "2022-09-15T00:00:00Z" }),
    ]);
    expect(result).toMatchObject({ accepted: 1, rejected: 2, types: { incident: { inserted: 1, rejected: 2 } } });
    expect(rejected).toEqual([
      '1: unknown project "three" (projects: one, two)',
      "2: project must be a project slug (lower-case letters, digits and dashes)",
    ]);
    expect(await store().rows(sql`SELECT external_id, project FROM incidents`)).toEqual([{ external_id: "x3", project: "two" }]);
  });
});
