/**
 * Deployments from GitHub Actions (kpis.md, "GitHub Actions runs"; docs/github.md): which runs
 * become deployment records and how, that a re-run updates its record, that the listing is
 * incremental and split under GitHub's 1,000-run cap — and that a week deployed by workflow
 * gives every delivery KPI exactly the values the same week deployed through the Deployments
 * API gives, computed by hand.
 */
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { parseConfig } from "@/lib/config/load";
import { catalog } from "@/lib/kpis/catalog";
import { describeEachDriver } from "@/test/support/db";
import { contextFor } from "@/test/kpis/support";
import type { FakeGitHub, FakeRepo } from "./fake-github";
import { REST, TEST_TUNING, useFakeGitHub } from "./support";
import { githubSource } from "@/connectors/github/source";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import type { Store } from "@/db/client";

const ACTIONS = "acme/app";
const API = "acme/api";

/** How one scenario's deployments are made: through workflow runs, or through the Deployments API. */
interface Deployer {
  success(sha: string, startedAt: string, finishedAt: string): void;
  failure(sha: string, startedAt: string, finishedAt: string): void;
  /** Fails, and is tried again (a re-run; the API: a later success status) — between the two a sync may run. */
  failThenRetry(sha: string, startedAt: string, failedAt: string): { retry(startedAt: string): void; succeed(at: string): void };
  /** Started and never reached production: cancelled / skipped runs, queued deployments. */
  noChange(sha: string, at: string): void;
  running(sha: string, at: string): void;
}

function actionsDeployer(repo: FakeRepo): Deployer {
  const deploy = repo.workflow("Deploy", "deploy.yml");
  // A workflow no rule names: its runs are no deployments.
  const ci = repo.workflow("CI", "ci.yml");
  return {
    success: (sha, at, finishedAt) => void repo.run(deploy, { sha, at, finishedAt }),
    failure: (sha, at, finishedAt) => {
      repo.run(deploy, { sha, at, finishedAt, conclusion: "timed_out" });
      repo.run(ci, { sha, at, finishedAt, conclusion: "success" });
    },
    failThenRetry(sha, at, failedAt) {
      const run = repo.run(deploy, { sha, at, finishedAt: failedAt, conclusion: "failure" });
      return { retry: (startedAt) => repo.rerun(run, startedAt), succeed: (when) => repo.finish(run, "success", when) };
    },
    noChange: (sha, at) => {
      repo.run(deploy, { sha, at, conclusion: "cancelled" });
      repo.run(deploy, { sha, at, conclusion: "skipped" });
    },
    running: (sha, at) => void repo.run(deploy, { sha, at, status: "in_progress" }),
  };
}

function apiDeployer(repo: FakeRepo): Deployer {
  return {
    success: (sha, at, finishedAt) => void repo.deploy({ sha, at, statuses: [{ state: "in_progress", at }, { state: "success", at: finishedAt }] }),
    failure: (sha, at, finishedAt) => void repo.deploy({ sha, at, statuses: [{ state: "in_progress", at }, { state: "failure", at: finishedAt }] }),
    failThenRetry(sha, at, failedAt) {
      const id = repo.deploy({ sha, at, statuses: [{ state: "failure", at: failedAt }] });
      return { retry: (startedAt) => repo.addStatus(id, "in_progress", startedAt), succeed: (when) => repo.addStatus(id, "success", when) };
    },
    noChange: (sha, at) => void repo.deploy({ sha, at, statuses: [{ state: "queued", at }] }),
    running: (sha, at) => void repo.deploy({ sha, at, statuses: [{ state: "in_progress", at }] }),
  };
}

const day = (d: string, time: string) => `2026-04-${d}T${time}:00Z`;
const round = (value: number | null) => (value === null ? null : Math.round(value * 1e6) / 1e6);

/**
 * One week of one repo, deployed by `ship`; `sync` runs between the failed attempt of the second
 * deployment and its retry, and between the retry's start and its success.
 */
async function buildWeek(repo: FakeRepo, ship: Deployer, sync: () => Promise<void>) {
  repo.commit("main", "Initial commit", "2026-03-31T08:00:00Z");
  // PR 1 (from 04-01 09:00) merged 10:00, deployed 11:00–12:00: 3 h.
  repo.openPull(1, { title: "Feature one", branch: "feature-one", at: day("01", "09:00"), commits: [{ message: "One", at: day("01", "09:00") }] });
  const m1 = repo.merge(1, "merge", day("01", "10:00"));
  ship.success(m1, day("01", "11:00"), day("01", "12:00"));
  // PR 2 (from 04-02 08:00) squashed 10:00; its deployment fails at 11:00, is retried at 12:00 and succeeds at 13:00: 5 h.
  repo.openPull(2, { title: "Feature two", branch: "feature-two", at: day("02", "08:00"), commits: [{ message: "Two", at: day("02", "08:00") }] });
  const s2 = repo.merge(2, "squash", day("02", "10:00"));
  const second = ship.failThenRetry(s2, day("02", "10:30"), day("02", "11:00"));
  await sync();
  second.retry(day("02", "12:00"));
  await sync();
  second.succeed(day("02", "13:00"));
  ship.noChange(s2, day("02", "13:30"));
  // An incident 04-02 15:00–17:30: attributed to the deployment that finished at 13:00.
  repo.issue({ number: 50, title: "Checkout down", labels: ["incident"], createdAt: day("02", "15:00"), closedAt: day("02", "17:30"), stateReason: "completed" });
  // A lone commit (authored 04-03 09:00): its deployment times out, another is still running.
  const c3 = repo.commit("main", "Tune timeouts", day("03", "09:00"));
  ship.failure(c3, day("03", "10:00"), day("03", "10:20"));
  ship.running(c3, day("03", "11:00"));
  // A hotfix PR (from 04-04 08:00) squashed 09:00, deployed 09:30–10:00: 2 h, and it ships c3 too: 25 h.
  repo.openPull(4, { title: "Guard nil", branch: "hotfix/nil", at: day("04", "08:00"), commits: [{ message: "Guard", at: day("04", "08:00") }] });
  const s4 = repo.merge(4, "squash", day("04", "09:00"));
  ship.success(s4, day("04", "09:30"), day("04", "10:00"));
  return { m1, s2, c3, s4 };
}

/** Two projects, or those `projects` (YAML lines under `projects:`), with the source's rule: deploy.yml deploys to production. */
function twoProjects(
  fake: FakeGitHub,
  extra = "",
  projects = `  - { slug: actions, name: Deployed by workflow, github: { repos: [${ACTIONS}] } }
  - { slug: api, name: Deployed through the Deployments API, github: { repos: [${API}] } }`,
) {
  return parseConfig(
    `projects:
${projects}
sources:
  github:
    base_url: ${fake.url}
    token: test-token
    workflows:
      - { file: deploy.yml, environment: production }
${extra}`,
    "shipshape.yaml",
    {},
  );
}

async function sync(store: Store, config: ReturnType<typeof twoProjects>) {
  const lines: string[] = [];
  const result = await runSync("github", sourceSync("github", githubSource(TEST_TUNING)), { config, store, trigger: "manual", log: (line) => lines.push(line) });
  return { ...result, lines };
}

describeEachDriver("GitHub Actions workflow runs as deployments", (store) => {
  const fake = useFakeGitHub();

  const deploymentsOf = (repo: string) =>
    store().rows<{ external_id: string; environment: string; status: string; started_at: string; finished_at: string; commit_sha: string; ref: string }>(sql`
      SELECT external_id, environment, status, started_at::text, finished_at::text, commit_sha, ref FROM deployments WHERE repo = ${repo} ORDER BY finished_at, external_id`);

  for (const api of ["graphql", "rest"] as const) {
    it(`feeds every delivery KPI exactly like the Deployments API, by hand (${api})`, async () => {
      const config = twoProjects(fake, api === "rest" ? REST : "");
      const run = async () => expect((await sync(store(), config)).errors).toEqual([]);
      // acme/api first (its retry needs no sync between), so that the syncs of acme/app's week find both repos.
      const [apiRepo, appRepo] = [fake.repo(API), fake.repo(ACTIONS)];
      await buildWeek(apiRepo, apiDeployer(apiRepo), async () => {});
      const app = await buildWeek(appRepo, actionsDeployer(appRepo), run);
      await run();

      // Success → success, failure / timed_out → failure; cancelled, skipped, running, the CI workflow → nothing.
      const runs = await deploymentsOf(ACTIONS);
      expect(runs.map(({ environment, status, finished_at, commit_sha }) => [environment, status, finished_at, commit_sha])).toEqual([
        ["production", "success", "2026-04-01 12:00:00+00", app.m1],
        // The re-run is the same record: the second attempt's start, its success at 13:00.
        ["production", "failure", "2026-04-03 10:20:00+00", app.c3],
        ["production", "success", "2026-04-02 13:00:00+00", app.s2],
        ["production", "success", "2026-04-04 10:00:00+00", app.s4],
      ].sort((a, b) => a[2]!.localeCompare(b[2]!)));
      const retried = runs.find((r) => r.commit_sha === app.s2)!;
      expect(retried.started_at).toBe("2026-04-02 12:00:00+00");
      expect(retried.external_id).toMatch(new RegExp(`^${ACTIONS}/actions/runs/\\d+$`));

      const values = async (slug: string) => {
        const context = contextFor(config, slug, { from: "2026-04-01", to: "2026-04-30" });
        const delivery = catalog.filter((kpi) => ["deployment_frequency", "lead_time_for_changes", "change_failure_rate", "time_to_restore", "rework_rate", "mttr"].includes(kpi.id));
        return Object.fromEntries(
          await Promise.all(delivery.map(async (kpi) => [kpi.id, (await kpi.compute(store(), context)).map((e) => ({ value: round(e.value), sampleSize: e.sampleSize }))] as const)),
        );
      };
      const byWorkflow = await values("actions");
      expect(byWorkflow).toEqual(await values("api"));
      expect(byWorkflow).toEqual({
        // 3 completed production deployments (04-01, 04-02, 04-04) over 30 days.
        deployment_frequency: [{ value: 0.1, sampleSize: 3 }],
        // The initial commit 28 h (03-31 08:00 to 04-01 12:00), PR 1 3 h, PR 2 5 h (from 08:00 to the retry's
        // success at 13:00), the lone commit 25 h, PR 4 2 h: the median of 2, 3, 5, 25, 28.
        lead_time_for_changes: [{ value: 5, sampleSize: 5 }],
        // The incident falls on the 04-02 deployment: 1 of 3.
        change_failure_rate: [{ value: round(100 / 3), sampleSize: 3 }],
        time_to_restore: [{ value: 2.5, sampleSize: 1 }],
        // The 04-04 deployment ships a hotfix/ branch: 1 of 3.
        rework_rate: [{ value: round(100 / 3), sampleSize: 3 }],
        mttr: [{ value: 2.5, sampleSize: 1 }],
      });
    });
  }

  it("a re-run keeps the earlier attempt's record while it runs or when it is cancelled, and replaces it when it completes", async () => {
    const repo = fake.repo(ACTIONS);
    const config = twoProjects(fake);
    const sha = repo.commit("main", "Initial commit", day("01", "08:00"));
    // acme/api has no deploy.yml: the source's rule finds no deployments there, and that is no error.
    fake.repo(API).commit("main", "Initial commit", day("01", "08:00"));
    const run = async () => expect((await sync(store(), config)).errors).toEqual([]);
    const deploy = repo.workflow("Deploy", "deploy.yml");
    const first = repo.run(deploy, { sha, at: day("01", "09:00"), finishedAt: day("01", "09:10") });
    await run();
    const [before] = await deploymentsOf(ACTIONS);
    expect(before).toMatchObject({ status: "success", finished_at: "2026-04-01 09:10:00+00" });
    repo.rerun(first, day("01", "10:00"));
    await run();
    expect(await deploymentsOf(ACTIONS)).toEqual([before]);
    repo.finish(first, "cancelled", day("01", "10:05"));
    await run();
    expect(await deploymentsOf(ACTIONS)).toEqual([before]);
    repo.rerun(first, day("01", "11:00"));
    repo.finish(first, "failure", day("01", "11:20"));
    await run();
    expect(await deploymentsOf(ACTIONS)).toEqual([{ ...before, status: "failure", started_at: "2026-04-01 11:00:00+00", finished_at: "2026-04-01 11:20:00+00" }]);
  });

  it("maps a name glob's runs to environments by branch, and a project's own workflows override the source's", async () => {
    const repo = fake.repo(ACTIONS);
    const other = fake.repo(API);
    const sha = repo.commit("main", "Initial commit", day("01", "08:00"));
    const otherSha = other.commit("main", "Initial commit", day("01", "08:00"));
    const app = repo.workflow("Deploy app", "deploy-app.yml");
    const docs = repo.workflow("Deploy docs", "docs.yml");
    const ci = repo.workflow("CI", "ci.yml");
    repo.run(app, { sha, branch: "main", at: day("01", "09:00") });
    repo.run(app, { sha, branch: "release/1.x", at: day("01", "10:00") });
    repo.run(docs, { sha, branch: "staging", at: day("01", "11:00") });
    repo.run(app, { sha, branch: "feature/x", at: day("01", "12:00") });
    repo.run(ci, { sha, branch: "main", at: day("01", "13:00") });
    // acme/api's project keeps the source's rule (deploy.yml only): its "Deploy app" runs are no deployments.
    other.run(other.workflow("Deploy app", "deploy-app.yml"), { sha: otherSha, at: day("01", "09:00") });
    other.run(other.workflow("Deploy", "deploy.yml"), { sha: otherSha, at: day("01", "09:30") });
    const config = twoProjects(
      fake,
      "",
      `  - slug: actions
    name: App
    github:
      repos: [${ACTIONS}]
      workflows:
        - { name: "Deploy *", branches: { main: production, "release/*": production, staging: staging } }
  - { slug: api, name: API, github: { repos: [${API}] } }`,
    );
    expect((await sync(store(), config)).errors).toEqual([]);
    expect((await deploymentsOf(ACTIONS)).map((d) => [d.ref, d.environment])).toEqual([
      ["main", "production"],
      ["release/1.x", "production"],
      ["staging", "staging"],
    ]);
    expect((await deploymentsOf(API)).map((d) => d.finished_at)).toEqual(["2026-04-01 09:30:00+00"]);
  });

  it("re-syncs unchanged runs with one conditional request per workflow, and splits a range GitHub would cut at 1,000 runs", { timeout: 180_000 }, async () => {
    const repo = fake.repo(ACTIONS);
    // With `since`, the first listing is filtered by created — and cut at 1,000 runs by GitHub.
    const config = twoProjects(fake, `${REST}    since: 2025-12-01\n`);
    fake.repo(API).commit("main", "Initial commit", "2026-01-01T00:00:00Z");
    const sha = repo.commit("main", "Initial commit", "2026-01-01T00:00:00Z");
    const deploy = repo.workflow("Deploy", "deploy.yml");
    // 2,500 runs, one an hour from 2026-01-01: more than GitHub lists for one created range.
    for (let hour = 0; hour < 2500; hour++) repo.run(deploy, { sha, at: new Date(Date.parse("2026-01-01T00:00:00Z") + hour * 3_600_000).toISOString().replace(".000Z", "Z") });
    const first = await sync(store(), config);
    expect(first.errors).toEqual([]);
    expect(first.records[`${ACTIONS}:workflow_runs`]).toBe(2500);
    expect(await store().rows(sql`SELECT count(DISTINCT external_id)::int AS n FROM deployments WHERE repo = ${ACTIONS}`)).toEqual([{ n: 2500 }]);
    // 25 pages of runs, plus the first pages of the ranges that were too full and were split.
    expect(fake.requests(/\/actions\/workflows\/deploy\.yml\/runs/).length).toBeGreaterThan(25);

    // The next sync lists again the week before the newest run (a re-run comes back there): 168 runs, 2 pages.
    fake.log.length = 0;
    const again = await sync(store(), config);
    expect(again.errors).toEqual([]);
    expect(fake.requests(new RegExp(`${ACTIONS}/actions/`)).map((r) => r.status)).toEqual([200, 200]);
    // From then on, unchanged: one conditional request, 304.
    fake.log.length = 0;
    await sync(store(), config);
    expect(fake.requests(new RegExp(`${ACTIONS}/actions/`)).map((r) => r.status)).toEqual([304]);
    expect(await store().rows(sql`SELECT count(*)::int AS n FROM deployments WHERE repo = ${ACTIONS}`)).toEqual([{ n: 2500 }]);
  });
});
