/**
 * GitHub text the database refuses (issue 14): a pull request title, a commit message, an
 * issue body and a release name holding U+0000, beside records without. Every record of the
 * page is stored, cleaned, and counted by the report.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/load";
import { buildReport } from "@/lib/report/build";
import { describeEachDriver } from "@/test/support/db";
import { FakeGitHub } from "./fake-github";
import { configYaml, syncGitHub } from "./support";

const API = "acme/api";

function buildRepo(fake: FakeGitHub) {
  const repo = fake.repo(API);
  repo.commit("main", "Initial commit", "2026-03-01T09:00:00Z");
  repo.openPull(1, { title: "Retry payments\u0000", branch: "retry", at: "2026-03-02T09:00:00Z", commits: [{ message: "Retry on 503\u0000", at: "2026-03-02T09:00:00Z" }] });
  repo.merge(1, "merge", "2026-03-02T12:00:00Z");
  repo.openPull(2, { title: "Faster checkout", branch: "fast", at: "2026-03-02T13:00:00Z", commits: [{ message: "Cache prices", at: "2026-03-02T13:00:00Z" }] });
  const head = repo.merge(2, "squash", "2026-03-03T09:00:00Z");
  repo.deploy({ sha: head, at: "2026-03-03T10:00:00Z", statuses: [{ state: "success", at: "2026-03-03T10:00:00Z" }] });
  repo.release("v1.0.0", { at: "2026-03-03T11:00:00Z", name: "Spring\u0000 release" });
  repo.release("v1.0.1", { at: "2026-03-04T11:00:00Z" });
  repo.issue({ number: 10, title: "Checkout crash", body: "Stack trace:\u0000\u0000 at pay()", labels: ["bug"], createdAt: "2026-03-02T08:00:00Z", closedAt: "2026-03-03T08:00:00Z", stateReason: "completed" });
  repo.issue({ number: 11, title: "Typo", labels: ["bug"], createdAt: "2026-03-02T08:30:00Z", closedAt: "2026-03-03T09:00:00Z", stateReason: "completed" });
}

describeEachDriver("GitHub text with U+0000", (store) => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await new FakeGitHub().start();
    buildRepo(fake);
  });
  afterAll(() => fake.stop());

  it("stores every pull request, commit, issue and release, without the NULs, and reports them", async () => {
    // The REST shapes (bodies in raw): the GraphQL path reads no issue bodies.
    const run = await syncGitHub(store(), fake, [API], "    api: rest\n");
    expect(run).toMatchObject({ status: "succeeded", errors: [] });
    expect(run.records).toMatchObject({ [`${API}:pulls`]: 2, [`${API}:releases`]: 2, [`${API}:issues`]: 2 });

    expect(await store().rows(sql`SELECT number, title, raw->>'title' AS raw_title FROM pull_requests ORDER BY number`)).toEqual([
      { number: 1, title: "Retry payments", raw_title: "Retry payments" },
      { number: 2, title: "Faster checkout", raw_title: "Faster checkout" },
    ]);
    expect(await store().rows(sql`SELECT message FROM pull_request_commits WHERE number = 1`)).toEqual([{ message: "Retry on 503" }]);
    expect(await store().rows(sql`SELECT message FROM commits WHERE message LIKE 'Retry%'`)).toEqual([{ message: "Retry on 503" }]);
    expect(await store().rows(sql`SELECT key, raw->>'body' AS body FROM work_items ORDER BY key`)).toEqual([
      { key: "10", body: "Stack trace: at pay()" },
      { key: "11", body: null },
    ]);
    expect(await store().rows(sql`SELECT tag, name, raw->>'name' AS raw_name FROM releases ORDER BY tag`)).toEqual([
      { tag: "v1.0.0", name: "Spring release", raw_name: "Spring release" },
      { tag: "v1.0.1", name: "v1.0.1", raw_name: "v1.0.1" },
    ]);

    const config = parseConfig(configYaml(fake, [API]), "shipshape.yaml", {});
    const report = await buildReport(store(), config, { project: "shop", from: "2026-03-01", to: "2026-03-07", tz: "UTC", now: new Date("2026-03-08T00:00:00Z") });
    const value = (id: string) => report.kpis.find((kpi) => kpi.id === id && kpi.dimension === null)?.value;
    expect(value("releases")).toBe(2);
    expect(value("bug_fixes")).toBe(2);
    // The deployment of 3 March 10:00 ships the initial commit (49 h), #1 (25 h) and #2 (21 h).
    expect(value("lead_time_for_changes")).toBe(25);
  });
});
