import { expect, it } from "vitest";
import { buildReport } from "@/lib/report/build";
import type { UserError } from "@/lib/errors/user-error";
import { buildRetro } from "@/lib/report/retro";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";
import { incident, insertDeployments, insertIncidents } from "@/test/support/records";

const config = testConfig(`
timezone: UTC
projects:
  - { slug: berlin, name: Berlin team, timezone: Europe/Berlin, services: [api] }
  - { slug: ops, name: Ops team, services: [api] }
`);

describeEachDriver("retro: deployments per calendar day", (getStore) => {
  const deploymentsIn = (slug: string, from: string, to: string) =>
    buildRetro(getStore(), config, { project: slug, from, to }).then((retro) => retro.days);

  it("counts the spring-forward day (23 hours) as one calendar day in the project's zone", async () => {
    await insertDeployments(getStore(), [
      { service: "api", finishedAt: "2026-03-27T22:59:00Z" }, // Mar 27 23:59 CET: the previous sprint's last day
      { service: "api", finishedAt: "2026-03-27T23:30:00Z" }, // Mar 28 00:30 CET
      { service: "api", finishedAt: "2026-03-28T22:59:00Z" }, // Mar 28 23:59 CET
      { service: "api", finishedAt: "2026-03-28T23:00:00Z" }, // Mar 29 00:00 CET
      { service: "api", finishedAt: "2026-03-29T21:59:00Z" }, // Mar 29 23:59 CEST (the day had 23 hours)
      { service: "api", finishedAt: "2026-03-29T22:00:00Z" }, // Mar 30 00:00 CEST
      { service: "api", finishedAt: "2026-03-30T22:00:00Z" }, // Mar 31 00:00 CEST: after the window
    ]);
    const days = await deploymentsIn("berlin", "2026-03-28", "2026-03-30");
    expect(days.current).toEqual([
      { date: "2026-03-28", deployments: 2 },
      { date: "2026-03-29", deployments: 2 },
      { date: "2026-03-30", deployments: 1 },
    ]);
    expect(days.previous).toEqual([
      { date: "2026-03-25", deployments: 0 },
      { date: "2026-03-26", deployments: 0 },
      { date: "2026-03-27", deployments: 1 },
    ]);
  });

  it("counts the fall-back day (25 hours) as one day, and only completed production deployments", async () => {
    await insertDeployments(getStore(), [
      { service: "api", finishedAt: "2026-10-23T22:00:00Z" }, // Oct 24 00:00 CEST
      { service: "api", finishedAt: "2026-10-24T22:00:00Z" }, // Oct 25 00:00 CEST
      { service: "api", finishedAt: "2026-10-25T22:59:00Z" }, // Oct 25 23:59 CET (the day had 25 hours)
      { service: "api", finishedAt: "2026-10-25T23:00:00Z" }, // Oct 26 00:00 CET
      { service: "api", finishedAt: "2026-10-25T10:00:00Z", status: "failure" }, // never reached production
      { service: "api", finishedAt: "2026-10-25T11:00:00Z", environment: "staging" },
      { service: "web", finishedAt: "2026-10-25T12:00:00Z" }, // another project's service
    ]);
    const days = await deploymentsIn("berlin", "2026-10-24", "2026-10-26");
    expect(days.current.map((day) => [day.date, day.deployments])).toEqual([
      ["2026-10-24", 1],
      ["2026-10-25", 2],
      ["2026-10-26", 1],
    ]);
    // The bars add up to what deployment_frequency counts for the same window.
    const report = await buildReport(getStore(), config, { project: "berlin", from: "2026-10-24", to: "2026-10-26" });
    expect(report.kpis.find((kpi) => kpi.id === "deployment_frequency")!.sample_size).toBe(4);
  });
});

describeEachDriver("retro: a sprint against the previous one", (getStore) => {
  it("compares the delivery KPIs and lists failed deployments and incidents", async () => {
    const db = getStore();
    await insertDeployments(db, [
      // Previous sprint (Mar 1–7): two deployments, the second followed by an incident.
      { service: "api", externalId: "p1", finishedAt: "2026-03-02T10:00:00Z" },
      { service: "api", externalId: "p2", finishedAt: "2026-03-04T10:00:00Z" },
      // This sprint (Mar 8–14).
      { service: "api", externalId: "d1", finishedAt: "2026-03-09T10:00:00Z" },
      { service: "api", externalId: "d2", finishedAt: "2026-03-10T10:00:00Z", status: "rolled_back" },
      { service: "api", externalId: "d3", finishedAt: "2026-03-11T10:00:00Z" },
      { service: "api", externalId: "d4", finishedAt: "2026-03-12T10:00:00Z" },
      { service: "api", externalId: "d5", finishedAt: "2026-03-12T11:00:00Z", status: "failure" },
    ]);
    await insertIncidents(db, [
      incident("inc-0", "2026-03-05T10:00:00Z", { service: "api", resolvedAt: "2026-03-05T11:00:00Z", title: "Old outage" }),
      // Attributed to d3, the service's latest deployment before it.
      incident("inc-1", "2026-03-11T12:00:00Z", { service: "api", resolvedAt: "2026-03-11T15:00:00Z", title: "<script>alert(1)</script>" }),
      // Names d4; still open.
      incident("inc-2", "2026-03-13T09:00:00Z", { deploymentId: "d4", title: "Scores drift" }),
    ]);

    const retro = await buildRetro(db, config, { project: "ops", from: "2026-03-08", to: "2026-03-14" });
    expect(retro.window).toMatchObject({ from: "2026-03-08", to: "2026-03-14", days: 7 });
    expect(retro.previous).toMatchObject({ from: "2026-03-01", to: "2026-03-07", days: 7 });
    expect(retro.summary.map((row) => row.id)).toEqual([
      "deployments",
      "deployment_frequency",
      "lead_time_for_changes",
      "change_failure_rate",
      "failed_deployments",
      "failed_rollouts",
      "incidents",
      "time_to_restore",
    ]);
    const byId = Object.fromEntries(retro.summary.map((row) => [row.id, row]));
    expect(byId.deployments).toMatchObject({ value: 4, previous: 2, change: 2, better: true });
    expect(byId.deployment_frequency).toMatchObject({ value: 4 / 7, previous: 2 / 7, better: true });
    expect(byId.deployment_frequency!.change).toBeCloseTo(2 / 7, 12);
    expect(byId.change_failure_rate).toMatchObject({ value: 75, previous: 50, change: 25, better: false });
    expect(byId.time_to_restore).toMatchObject({ value: 3, previous: 1, change: 2, better: false });
    expect(byId.lead_time_for_changes).toMatchObject({ value: null, previous: null, change: null, better: null });
    expect(byId.failed_deployments).toMatchObject({ value: 3, previous: 1, change: 2, better: false });
    expect(byId.failed_rollouts).toMatchObject({ value: 1, previous: 0, change: 1, better: false });
    expect(byId.incidents).toMatchObject({ value: 2, previous: 1, change: 1, better: false });

    expect(retro.failed_deployments.events.map((event) => [event.id, event.title])).toEqual([
      ["d2", "api — rolled back"],
      ["d3", "api — incidents inc-1"],
      ["d4", "api — incidents inc-2"],
    ]);
    expect(retro.failed_deployments.previous).toBe(1);
    expect(retro.incidents.list).toEqual([
      {
        id: "inc-1",
        source: "deploy_log",
        title: "<script>alert(1)</script>",
        url: null,
        started_at: "2026-03-11T12:00:00.000Z",
        resolved_at: "2026-03-11T15:00:00.000Z",
        hours: 3,
      },
      { id: "inc-2", source: "deploy_log", title: "Scores drift", url: null, started_at: "2026-03-13T09:00:00.000Z", resolved_at: null, hours: null },
    ]);
    expect(retro.incidents.previous).toBe(1);
  });

  it("defaults to the 14 days ending yesterday in the project's zone", async () => {
    // 23:30 UTC on Apr 1 is already Apr 2 in Berlin: yesterday there is Apr 1.
    const retro = await buildRetro(getStore(), config, { project: "berlin", now: new Date("2026-04-01T23:30:00Z") });
    expect(retro.window).toMatchObject({ from: "2026-03-19", to: "2026-04-01", days: 14, timezone: "Europe/Berlin" });
    expect(retro.previous).toMatchObject({ from: "2026-03-05", to: "2026-03-18", days: 14 });
    expect(retro.days.current).toHaveLength(14);
    expect(retro.days.current.every((day) => day.deployments === 0)).toBe(true);
  });

  it("refuses bad windows and unknown projects with one clear message", async () => {
    const attempt = (request: { project: string; from?: string; to?: string }) =>
      buildRetro(getStore(), config, request).then(
        () => null,
        (error: UserError) => [error.kind, error.message],
      );
    await expect(attempt({ project: "ops", from: "2026-02-30", to: "2026-03-05" })).resolves.toEqual([
      "invalid",
      "from: must be a date YYYY-MM-DD",
    ]);
    await expect(attempt({ project: "ops", from: "2026-03-10", to: "2026-03-01" })).resolves.toEqual([
      "invalid",
      "from (2026-03-10) is after to (2026-03-01)",
    ]);
    await expect(attempt({ project: "ops", from: "2026-01-01", to: "2026-06-30" })).resolves.toEqual([
      "invalid",
      "the window has 181 days; a retro covers at most 92",
    ]);
    const unknown = await attempt({ project: "nope" });
    expect(unknown![0]).toBe("not_found");
    expect(unknown![1]).toContain('"nope"');
  });
});
