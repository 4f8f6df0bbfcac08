import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deployLogRecord } from "@/connectors/deploy-log/records";
import type { CommitPayload, IssuePayload, PullPayload, ReleasePayload } from "@/connectors/github/payloads";
import { commitRecord, issueRecord, pullRecord, releaseRecord } from "@/connectors/github/records";
import type { JiraIssue } from "@/connectors/jira/payloads";
import { toWorkItem } from "@/connectors/jira/records";
import { projectAnnotations } from "@/lib/annotations/store";
import { loadConfig } from "@/lib/config/load";
import { DEMO_DAYS, demoLastDay, ensureDemoData, generateDemoData, writeDemoData } from "@/lib/demo/generate";
import { DEMO_NOTES } from "@/lib/demo/notes";
import { shiftDate } from "@/lib/time/window";
import { liveSpans } from "@/lib/report/model-history";
import { describeEachDriver } from "@/test/support/db";

const LAST_DAY = "2026-06-30";

describe("demo organisation", () => {
  const data = generateDemoData(LAST_DAY);

  it("is the same every time for the same last day", () => {
    expect(generateDemoData(LAST_DAY)).toEqual(data);
  });

  it("is the organisation it has always been: the counts of its records for this last day are pinned", () => {
    // Any change to the order or number of random draws changes these; a change meant to alter the demo updates them.
    const counts = Object.fromEntries(Object.entries(data).map(([table, rows]) => [table, rows.length]));
    expect(counts).toEqual({
      pullRequests: 1438,
      pullRequestCommits: 4325,
      commits: 3117,
      deployments: 1949,
      incidents: 49,
      releases: 57,
      workItems: 650,
      modelMetrics: 345,
      modelSla: 4368,
      modelPointerEvents: 251,
      dataRefreshes: 1970,
      dataQualityIssues: 58,
      // The fraud team's board: five closed sprints, the running one and the next (no random draws).
      sprints: 7,
    });
  });

  it("has every record type, all inside its six months", () => {
    const first = Date.parse(`${LAST_DAY}T00:00:00Z`) - (DEMO_DAYS - 1) * 86_400_000;
    const end = Date.parse(`${LAST_DAY}T00:00:00Z`) + 86_400_000;
    const times = [
      ...data.deployments.map((d) => d.finishedAt),
      ...data.incidents.map((i) => i.startedAt),
      ...data.pullRequests.map((p) => p.mergedAt!),
      ...data.modelMetrics.map((m) => m.observedAt),
      ...data.modelSla.map((m) => m.observedAt),
      ...data.dataRefreshes.map((r) => r.finishedAt),
      ...data.dataQualityIssues.map((q) => q.detectedAt),
      ...data.workItems.map((w) => w.createdAt),
    ].map((t) => Date.parse(t));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(first);
    expect(Math.max(...times)).toBeLessThan(end);
    for (const [type, rows] of Object.entries(data)) expect(rows.length, type).toBeGreaterThan(0);
    expect(new Set(data.deployments.map((d) => d.kind))).toEqual(new Set(["code", "model"]));
    expect(new Set(data.deployments.map((d) => d.status))).toEqual(new Set(["success", "failure", "rolled_back"]));
    expect(new Set(data.workItems.map((w) => w.source))).toEqual(new Set(["github", "jira"]));
  });

  it("has a dataset read from dbt artifacts and a service reporting CDEvents, through their mapping", () => {
    const dbt = { refreshes: data.dataRefreshes.filter((r) => r.source === "dbt"), issues: data.dataQualityIssues.filter((q) => q.source === "dbt") };
    expect(new Set([...dbt.refreshes, ...dbt.issues].map((row) => row.dataset))).toEqual(new Set(["customer-events"]));
    expect(dbt.issues.length).toBeGreaterThan(0);
    expect(dbt.issues.every((q) => /^[0-9a-f-]{36}:test\.churn\.[\w.]+#customer-events$/.test(q.externalId) && q.description!.includes(" failed: Got "))).toBe(true);
    // dbt records no failed loads: every refresh of the dataset is a success.
    expect(new Set(dbt.refreshes.map((r) => r.status))).toEqual(new Set(["success"]));
    const cdevents = data.deployments.filter((d) => d.source === "cdevents");
    expect(new Set(cdevents.map((d) => `${d.service}/${d.environment}`))).toEqual(new Set(["ranker/production"]));
    expect(new Set(cdevents.map((d) => d.status))).toEqual(new Set(["success", "rolled_back"]));
    expect(data.incidents.filter((i) => i.source === "cdevents").every((i) => i.service === "ranker")).toBe(true);
  });

  it("stores what the connectors make of its payloads: every row is its raw payload through the source's record builder", () => {
    // So the demo's raw payloads are real ones (dbt's, CDEvents', MLflow's and Airflow's rows: the tests beside), and a changed definition recomputes from them like from synced data.
    for (const rows of [data.deployments, data.incidents, data.modelMetrics, data.modelSla, data.dataRefreshes, data.dataQualityIssues]) {
      for (const row of rows.filter((r) => r.source === "deploy_log")) expect(deployLogRecord(row.raw as Record<string, unknown>).row).toEqual(row);
    }
    for (const row of data.pullRequests) expect(pullRecord(row.repo, row.raw as PullPayload, "main")).toEqual(row);
    for (const row of data.commits) expect(commitRecord(row.repo, row.raw as CommitPayload)).toEqual(row);
    for (const row of data.releases) expect(releaseRecord(row.repo, row.raw as ReleasePayload)).toEqual(row);
    for (const row of data.workItems) {
      const built = row.source === "jira" ? toWorkItem(row.raw as JiraIssue, "https://acme.atlassian.net") : issueRecord(row.container, row.raw as IssuePayload);
      expect(built).toEqual(row);
    }
  });

  it("has models whose production alias moves as MLflow records it, and datasets refreshed by Airflow DAG runs", () => {
    const models = [...new Set(data.modelPointerEvents.map((event) => event.model))];
    expect(models.sort()).toEqual(["churn-lgbm", "fraud-xgb", "ranker-bert"]);
    for (const model of models) {
      const spans = liveSpans(data.modelPointerEvents.filter((event) => event.model === model).map((event) => ({ ...event, at: String(event.at) })));
      // One version live at a time, the last one still live; the spans follow each other without a gap.
      expect(spans.filter((span) => span.to === null), model).toHaveLength(1);
      spans.slice(1).forEach((span, index) => expect(span.from, model).toBe(spans[index]!.to));
    }
    const modelDeployments = data.deployments.filter((deployment) => deployment.kind === "model");
    expect(new Set(modelDeployments.map((deployment) => deployment.source))).toEqual(new Set(["mlflow"]));
    // Rollbacks: the alias went back to a version that had been live before.
    const pairs = modelDeployments.map((deployment) => `${deployment.model}/${deployment.version}`);
    expect(pairs.length - new Set(pairs).size).toBeGreaterThan(0);
    // The dbt dataset aside (its refreshes come from dbt), every refresh is a DAG run's.
    expect(new Set(data.dataRefreshes.map((refresh) => refresh.source))).toEqual(new Set(["airflow", "dbt"]));
    expect(new Set(data.dataRefreshes.filter((refresh) => refresh.source === "airflow").map((refresh) => refresh.status))).toEqual(new Set(["success", "failure"]));
    expect(data.dataRefreshes[0]!.raw).toMatchObject({ dag_id: expect.stringMatching(/^load_/), run_type: "scheduled" });
  });

  it("links each default-branch commit to its parent, so shipped changes can be traced", () => {
    const known = new Set(data.commits.map((c) => `${c.repo}@${c.sha}`));
    const orphans = data.commits.filter((c) => (c.parents ?? []).some((p) => !known.has(`${c.repo}@${p}`)));
    expect(orphans).toEqual([]);
    const shipped = data.deployments.filter((d) => d.commitSha);
    expect(shipped.every((d) => known.has(`${d.repo}@${d.commitSha}`))).toBe(true);
  });
});

describeEachDriver("writing the demo organisation", (store) => {
  it("stores every generated record, and writing it again replaces rather than adds", async () => {
    const data = generateDemoData(LAST_DAY);
    await writeDemoData(store(), LAST_DAY);
    await writeDemoData(store(), LAST_DAY);
    const count = async (table: string) =>
      (await store().rows<{ n: number }>(sql.raw(`SELECT count(*)::int AS n FROM ${table}`)))[0]!.n;
    expect(await count("deployments")).toBe(data.deployments.length);
    expect(await count("pull_request_commits")).toBe(data.pullRequestCommits.length);
    expect(await count("work_items")).toBe(data.workItems.length);
    expect(await count("sprints")).toBe(data.sprints.length);
    expect(await count("data_refreshes")).toBe(data.dataRefreshes.length);
    // The demo's notes are written once, and a note of someone else's stays.
    expect(await count("annotations")).toBe(DEMO_NOTES.length);
  });

  it("puts its notes on the charts: inside the trends' 26 weeks, with the other marks", async () => {
    await writeDemoData(store(), LAST_DAY);
    const { annotations } = await projectAnnotations(store(), loadConfig({}), { project: "fraud-detection", to: LAST_DAY });
    const notes = annotations.filter((a) => a.kind === "note").map((a) => [a.at, a.kpi, a.text, a.created_by]);
    expect(notes).toEqual([
      [shiftDate(LAST_DAY, -80), "lead_time_for_changes", "review rota: two reviewers per pull request", "demo"],
      [shiftDate(LAST_DAY, -38), null, "moved to the new cluster", "demo"],
      [shiftDate(LAST_DAY, -17), "time_to_restore", "new on-call runbook after the scoring outage", "demo"],
    ]);
    // And the marks read from its records: the tightened target, its releases, its model versions.
    expect(annotations.some((a) => a.kind === "target" && a.text === "Target changed: 0.5/day → 1/day")).toBe(true);
    expect(annotations.filter((a) => a.kind === "release").every((a) => /^Release v1\.\d+\.0$/.test(a.text))).toBe(true);
    expect(annotations.filter((a) => a.kind === "model").every((a) => /^fraud-\S+ \S+ in production$/.test(a.text))).toBe(true);
  });

  it("is generated at a demo server's start when there is none or it ended over a day ago, and kept otherwise", async () => {
    const latestRefresh = async () => (await store().rows<{ at: string }>(sql`SELECT max(finished_at)::date::text AS at FROM data_refreshes`))[0]!.at;
    const now = new Date("2026-07-01T09:00:00Z");
    expect(demoLastDay(now)).toBe(LAST_DAY);
    expect(await ensureDemoData(store(), now)).toBe(true);
    expect(await latestRefresh()).toBe(LAST_DAY);
    // A restart the next day (or the same one) keeps it: its history still reaches the last 28 days.
    expect(await ensureDemoData(store(), new Date("2026-07-02T23:00:00Z"))).toBe(false);
    // Two days on, it is regenerated to end yesterday.
    expect(await ensureDemoData(store(), new Date("2026-07-03T00:30:00Z"))).toBe(true);
    expect(await latestRefresh()).toBe("2026-07-02");
  });
});
