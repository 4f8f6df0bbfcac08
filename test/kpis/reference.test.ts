/**
 * Issue 21's safety net: for random histories — a default branch with lone commits, merged and
 * squashed pull requests (some hotfixes, some reverts), merged branches that were no pull request,
 * deployments of any commit to production and elsewhere (failures, rollbacks, redeploys of older
 * commits, none at all), incidents — stored the way a sync stores them, the report's DORA entries
 * equal the reference computation of kpis.md (./reference/dora.ts) exactly, in random windows and
 * time zones. A failure prints the seed and the shrunk history: replay with that seed.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import type { Store } from "@/db/client";
import { enrichRepo } from "@/connectors/github/enrichers";
import { commits as commitsTable } from "@/db/schema";
import { buildReport } from "@/lib/report/build";
import { reportWindow } from "@/lib/time/window";
import { describeEachDriver, truncateAll } from "@/test/support/db";
import { testConfig } from "@/test/support/config";
import { commit, insertDeployments, insertIncidents, insertPullRequest, insertRecords, insertReleases, insertWorkItems } from "@/test/support/records";
import { referenceCode, type RefRelease, type RefWorkItem } from "./reference/code";
import { referenceDora, type RefCommit, type RefDeployment, type RefHistory, type RefPullRequest } from "./reference/dora";

const REPO = "acme/fraud-api";
const BASE = Date.parse("2026-03-01T00:00:00Z");
const HOUR = 3_600_000;
/** Fixed, so a failure replays; PROPERTY_SEED and PROPERTY_RUNS explore further (each run builds a whole report, ~1 s). */
const SEED = Number(process.env.PROPERTY_SEED ?? 20_261_202);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 12);
const at = (hours: number) => new Date(BASE + hours * HOUR).toISOString();
const COVERED = ["deployment_frequency", "lead_time_for_changes", "change_failure_rate", "time_to_restore", "rework_rate", "releases", "bug_fixes", "features_shipped"];

/** True about once in `n` values. */
const rarely = (n: number) => fc.integer({ min: 1, max: n }).map((k) => k === 1);

/** One step of the default branch's history. */
const stepArb = fc.record({
  kind: fc.constantFrom("lone", "merged_pull", "squashed_pull", "merged_branch", "revert"),
  sideCommits: fc.integer({ min: 1, max: 3 }),
  gapHours: fc.integer({ min: 1, max: 30 }),
  hotfix: fc.constantFrom("none", "label", "branch"),
});

const deploymentArb = fc.record({
  /** An index into every commit (side-branch ones too), or null: no commit_sha. */
  commit: fc.option(fc.nat(), { freq: 8 }),
  /** After the deployed commit was authored (after the history's start without one). */
  hours: fc.integer({ min: 0, max: 24 * 10 }),
  environment: fc.constantFrom("production", "PROD", "staging"),
  status: fc.constantFrom("success", "success", "rolled_back", "failure"),
  hotfix: rarely(8),
});

const incidentArb = fc.record({
  hours: fc.integer({ min: 0, max: 24 * 40 }),
  restoreHours: fc.option(fc.integer({ min: 0, max: 100 }), { freq: 5 }),
});

const windowArb = fc.record({
  fromDay: fc.integer({ min: 0, max: 20 }),
  days: fc.integer({ min: 1, max: 21 }),
  timezone: fc.constantFrom("UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"),
});

const releaseArb = fc.record({
  repo: fc.constantFrom("acme/fraud-api", "acme/fraud-model", "acme/churn"),
  hours: fc.integer({ min: 0, max: 24 * 40 }),
  draft: rarely(5),
  prerelease: rarely(5),
});

const githubIssueArb = fc.record({
  source: fc.constant("github" as const),
  container: fc.constantFrom("acme/fraud-api", "acme/fraud-model", "acme/churn"),
  labels: fc.subarray(["bug", "Enhancement", "feature", "docs"]),
  issueType: fc.constant(null),
  resolvedHours: fc.option(fc.integer({ min: 0, max: 24 * 40 }), { freq: 5 }),
  resolution: fc.constantFrom("completed", "completed", "not_planned"),
});

const jiraIssueArb = fc.record({
  source: fc.constant("jira" as const),
  container: fc.constantFrom("FRD", "CHN"),
  labels: fc.constant<string[]>([]),
  issueType: fc.constantFrom("Bug", "Story", "new feature", "Task"),
  resolvedHours: fc.option(fc.integer({ min: 0, max: 24 * 40 }), { freq: 5 }),
  resolution: fc.constantFrom("Done", "Done", "Won't Do", "Duplicate"),
});

const scenarioArb = fc.record({
  steps: fc.array(stepArb, { minLength: 1, maxLength: 12 }),
  deployments: fc.array(deploymentArb, { maxLength: 10 }),
  incidents: fc.array(incidentArb, { maxLength: 5 }),
  releases: fc.array(releaseArb, { maxLength: 4 }),
  workItems: fc.array(fc.oneof(githubIssueArb, jiraIssueArb), { maxLength: 6 }),
  window: windowArb,
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const releasesOf = (scenario: Scenario): RefRelease[] =>
  scenario.releases.map((r, n) => ({ repo: r.repo, tag: `v${n}`, publishedAt: at(r.hours), draft: r.draft, prerelease: r.prerelease }));

const workItemsOf = (scenario: Scenario): RefWorkItem[] =>
  scenario.workItems.map(({ resolvedHours, resolution, ...item }, n) => ({
    ...item,
    key: item.source === "jira" ? `${item.container}-${n}` : String(n),
    resolvedAt: resolvedHours === null ? null : at(resolvedHours),
    resolution: resolvedHours === null ? null : resolution,
  }));

/** The history a scenario describes: commits authored in order, each step `gapHours` after the last. */
function historyOf(scenario: Scenario): RefHistory {
  const commits: RefCommit[] = [];
  const pullRequests: RefPullRequest[] = [];
  let hours = 0;
  const add = (sha: string, parents: string[]) => {
    commits.push({ sha, parents, authoredAt: at(hours) });
    return sha;
  };
  // A root first, so every merge has a first parent.
  let head = add("root", []);
  scenario.steps.forEach((step, n) => {
    hours += step.gapHours;
    // A revert undoes the latest pull request before it, by GitHub's title `Revert "<title>"`.
    const reverted = step.kind === "revert" ? pullRequests.at(-1) : undefined;
    const title = reverted ? `Revert "${reverted.title}"` : `PR ${n + 1}`;
    const labels = step.hotfix === "label" ? ["Hotfix"] : [];
    const headRef = step.hotfix === "branch" ? `hotfix/${n}` : `feature/${n}`;
    if (step.kind === "merged_pull" || step.kind === "merged_branch") {
      // A side branch off the head, then a merge commit whose second parent is its tip.
      let tip: string = head;
      const side: [string, string][] = [];
      for (let k = 0; k < step.sideCommits; k++) {
        tip = add(`s${n}x${k}`, [tip]);
        side.push([tip, at(hours)]);
        hours += 1;
      }
      head = add(`m${n}`, [head, tip]);
      if (step.kind === "merged_pull") pullRequests.push({ number: n + 1, title, mergeCommitSha: head, commits: side, labels, headRef, reverts: null });
    } else if (step.kind === "lone") {
      head = add(`c${n}`, [head]);
    } else {
      // A squash (or a revert, squashed too): the PR's own commits, authored earlier, are not on the branch.
      const own: [string, string][] = Array.from({ length: step.sideCommits }, (_, k) => [`p${n}x${k}`, at(hours - step.sideCommits + k)]);
      hours += 1;
      head = add(`q${n}`, [head]);
      pullRequests.push({ number: n + 1, title, mergeCommitSha: head, commits: own, labels, headRef, reverts: reverted?.number ?? null });
    }
  });
  const deployments: RefDeployment[] = scenario.deployments.map((d, order) => {
    const deployed = d.commit === null ? null : commits[d.commit % commits.length]!;
    return {
      order,
      environment: d.environment,
      status: d.status as RefDeployment["status"],
      finishedAt: new Date(Date.parse(deployed?.authoredAt ?? at(0)) + d.hours * HOUR).toISOString(),
      commitSha: deployed?.sha ?? null,
      hotfix: d.hotfix,
    };
  });
  const incidents = scenario.incidents.map((i) => ({
    startedAt: at(i.hours),
    resolvedAt: i.restoreHours === null ? null : at(i.hours + i.restoreHours + 0.25),
  }));
  return { commits, pullRequests, deployments, incidents };
}

/** Stores the history as a GitHub sync would: records, then the repo's enrichers. */
async function store(s: Store, h: RefHistory, scenario: Scenario): Promise<void> {
  await insertRecords(s, commitsTable, h.commits.map((c) => commit(c.sha, c.parents, c.authoredAt, { committedAt: c.authoredAt })));
  for (const p of h.pullRequests) {
    const mergedAt = h.commits.find((c) => c.sha === p.mergeCommitSha)!.authoredAt;
    await insertPullRequest(s, { ...p, mergedAt, createdAt: mergedAt, updatedAt: mergedAt });
  }
  await enrichRepo(s, REPO);
  await insertDeployments(
    s,
    h.deployments.map((d) => ({ repo: REPO, environment: d.environment, status: d.status, finishedAt: d.finishedAt, commitSha: d.commitSha, hotfix: d.hotfix })),
  );
  await insertIncidents(s, h.incidents.map((i) => ({ service: "fraud-api", startedAt: i.startedAt, resolvedAt: i.resolvedAt })));
  await insertReleases(s, releasesOf(scenario));
  // The factory makes a resolved item closed (GitHub) or Done (Jira); the resolution says which kind of done.
  await insertWorkItems(s, workItemsOf(scenario));
}

describeEachDriver("the report against the reference computation of kpis.md (issue 21)", (store_) => {
  it(`agrees exactly on the five DORA KPIs, releases, bug fixes and features shipped over random histories (fast-check seed ${SEED}, ${RUNS} runs)`, { timeout: 120_000 }, async () => {
    const config = testConfig();
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        await truncateAll(store_());
        const history = historyOf(scenario);
        await store(store_(), history, scenario);
        const from = at(scenario.window.fromDay * 24).slice(0, 10);
        const to = at((scenario.window.fromDay + scenario.window.days - 1) * 24).slice(0, 10);
        const window = reportWindow(from, to, scenario.window.timezone);
        const report = await buildReport(store_(), config, { project: "fraud", from, to, tz: scenario.window.timezone });
        const engine = Object.fromEntries(
          report.kpis.filter((e) => COVERED.includes(e.id) && e.dimension === null).map((e) => [e.id, { value: e.value, sample_size: e.sample_size }]),
        );
        expect(engine).toEqual({ ...referenceDora(history, window), ...referenceCode(releasesOf(scenario), workItemsOf(scenario), window) });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
