/**
 * The demo organisation: six months of realistic, deterministic history for the three projects
 * of `demoConfig` — pull requests and commits, deployments (code and model), incidents, GitHub
 * and Jira issues, releases, model metrics and SLAs, data refreshes and data-quality issues (one
 * dataset's from dbt artifacts, one service's deployments and incidents from CDEvents:
 * dbt-cdevents.ts).
 * Each record is made the way a real one is: the demo writes the payload a source would send
 * (a GitHub pull request, a Jira issue, a deployment-log line) and turns it into rows with the
 * connector's own record builder, so the demo's rows are exactly what a sync or an ingest stores.
 */
import { sql, type InferInsertModel } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Store } from "@/db/client";
import {
  commits,
  dataQualityIssues,
  dataRefreshes,
  deployments,
  incidents,
  modelMetrics,
  modelPointerEvents,
  modelSlaObservations,
  pullRequestCommits,
  pullRequests,
  releases,
  sprints,
  workItems,
} from "@/db/schema";
import { enrichRepo } from "@/connectors/github/enrichers";
import { upsertRecords } from "@/db/upsert";
import { deployLogRecord, type RowOf } from "@/connectors/deploy-log/records";
import type { CommitPayload, IssuePayload, PullPayload, ReleasePayload } from "@/connectors/github/payloads";
import { commitRecord, issueRecord, pullCommitRecord, pullRecord, releaseRecord } from "@/connectors/github/records";
import type { JiraIssue, JiraSprint } from "@/connectors/jira/payloads";
import { toSprint, toWorkItem } from "@/connectors/jira/records";
import type { DeploymentLogType } from "@/db/schema";
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from "@/lib/time/units";
import { shiftDate } from "@/lib/time/window";
import { demoConfig } from "./config";
import { cdeventsDemoRecords, dbtDemoRecords } from "./dbt-cdevents";
import { generateDagRefreshes, generateRegistryModel } from "./ml-stack";
import { SeededRandom, weightedPool } from "./random";
import { writeDemoNotes } from "./notes";
import { writeDemoTargets } from "./targets";

export const DEMO_SEED = 20_260_101;
export const DEMO_DAYS = 182;

const HOUR = MS_PER_HOUR;
const DAY = MS_PER_DAY;
/** The demo's repositories merge into main; its Jira site is acme's. */
const DEFAULT_BRANCH = "main";
const JIRA_SITE = "https://acme.atlassian.net";

type Rows<T extends PgTable> = InferInsertModel<T>[];

export interface DemoData {
  pullRequests: Rows<typeof pullRequests>;
  pullRequestCommits: Rows<typeof pullRequestCommits>;
  commits: Rows<typeof commits>;
  deployments: Rows<typeof deployments>;
  incidents: Rows<typeof incidents>;
  releases: Rows<typeof releases>;
  workItems: Rows<typeof workItems>;
  modelMetrics: Rows<typeof modelMetrics>;
  modelSla: Rows<typeof modelSlaObservations>;
  modelPointerEvents: Rows<typeof modelPointerEvents>;
  dataRefreshes: Rows<typeof dataRefreshes>;
  dataQualityIssues: Rows<typeof dataQualityIssues>;
  sprints: Rows<typeof sprints>;
}

/** How each demo project behaves: one elite, one middling, one struggling team. */
const PROFILES = [
  { mergesPerDay: 2.5, deploysPerDay: 2, maxLeadHours: 60, failureRate: 0.06, incidentRate: 0.05, restoreHours: 6 },
  { mergesPerDay: 0.8, deploysPerDay: 0.5, maxLeadHours: 240, failureRate: 0.12, incidentRate: 0.12, restoreHours: 30 },
  { mergesPerDay: 4, deploysPerDay: 4, maxLeadHours: 20, failureRate: 0.03, incidentRate: 0.02, restoreHours: 1.5 },
] as const;
type Profile = (typeof PROFILES)[number];

const iso = (ms: number) => new Date(ms).toISOString();

/** Generates the organisation for the DEMO_DAYS days ending with `lastDay` (YYYY-MM-DD, UTC). */
export function generateDemoData(lastDay: string, seed = DEMO_SEED): DemoData {
  const random = new SeededRandom(seed);
  const data: DemoData = {
    pullRequests: [],
    pullRequestCommits: [],
    commits: [],
    deployments: [],
    incidents: [],
    releases: [],
    workItems: [],
    modelMetrics: [],
    modelSla: [],
    modelPointerEvents: [],
    dataRefreshes: [],
    dataQualityIssues: [],
    sprints: [],
  };
  const end = Date.parse(`${lastDay}T00:00:00Z`) + DAY;
  const start = end - DEMO_DAYS * DAY;
  demoConfig.projects.forEach((project, index) => {
    const profile = PROFILES[index % PROFILES.length]!;
    const repos = project.github?.repos ?? [];
    repos.forEach((repo, repoIndex) => {
      const service = project.services[repoIndex % project.services.length]!;
      const shipped = generateRepoHistory(random, data, { repo, service, profile, start, end });
      generateIncidents(random, data, shipped, profile, end);
      generateReleases(random, data, repo, start, end);
      generateGithubIssues(random, data, repo, start, end);
    });
    for (const model of project.models) generateModel(random, data, { model, repo: repos.at(-1)!, start, end });
    for (const dataset of project.datasets) generateDataset(random, data, dataset, start, end);
    for (const key of project.jira?.projects ?? []) generateJiraIssues(random, data, key, start, end);
  });
  dbtDemoRecords(data, seed);
  cdeventsDemoRecords(data, seed, start, end);
  generateSprints(data, "FRD", end);
  return data;
}

interface RepoPlan {
  repo: string;
  service: string;
  profile: Profile;
  start: number;
  end: number;
}

/** Merges, lone pushes and deployments of one repo, in time order; returns its production deployments. */
function generateRepoHistory(random: SeededRandom, data: DemoData, plan: RepoPlan) {
  const { repo, service, profile, start, end } = plan;
  let head = random.sha();
  data.commits.push(commitRecord(repo, commitPayload(head, [], start - 30 * DAY, "Initial commit")));
  let number = 0;
  let deploymentNumber = 0;
  let hotfixPending = false;
  const production: { id: string; finishedAt: number; service: string }[] = [];
  for (let day = start; day < end; day += DAY) {
    const weekend = [0, 6].includes(new Date(day).getUTCDay());
    const events: { at: number; kind: "merge" | "push" | "deploy" }[] = [];
    const activity = weekend ? 0.1 : 1;
    for (let i = random.int(0, Math.round(profile.mergesPerDay * 2 * activity)); i > 0; i--) events.push({ at: day + random.int(8 * HOUR, 19 * HOUR), kind: "merge" });
    if (random.chance(0.08 * activity)) events.push({ at: day + random.int(8 * HOUR, 19 * HOUR), kind: "push" });
    for (let i = random.int(0, Math.round(profile.deploysPerDay * 2 * activity)); i > 0; i--) events.push({ at: day + random.int(10 * HOUR, 22 * HOUR), kind: "deploy" });
    events.sort((a, b) => a.at - b.at);
    for (const event of events) {
      if (event.kind === "merge") {
        number += 1;
        const merged = mergePullRequest(random, data, { repo, number, head, mergedAt: event.at, maxLeadHours: profile.maxLeadHours });
        head = merged.head;
        hotfixPending ||= merged.hotfix;
      } else if (event.kind === "push") {
        const sha = random.sha();
        data.commits.push(commitRecord(repo, commitPayload(sha, [head], event.at - random.int(HOUR / 2, 6 * HOUR), "Fix typo in configuration")));
        head = sha;
      } else {
        deploymentNumber += 1;
        const id = `${repo.split("/")[1]}-${deploymentNumber}`;
        const status = random.chance(profile.failureRate) ? random.pick(["rolled_back", "failure"] as const) : "success";
        // Drawn before the record, where its started_at drew it: the demo's sequence stays the same.
        const duration = random.int(2, 15) * MS_PER_MINUTE;
        const record = {
          id,
          service,
          environment: "production",
          status,
          finished_at: iso(event.at),
          started_at: iso(event.at - duration),
          repo,
          ...(random.chance(0.05) ? {} : { commit_sha: head }),
          version: `${deploymentNumber}`,
          ...(hotfixPending && random.chance(0.4) ? { hotfix: true } : {}),
        };
        hotfixPending = false;
        data.deployments.push(logRow("deployment", record));
        if (status !== "failure") production.push({ id, finishedAt: event.at, service });
        if (random.chance(0.5)) {
          // An hour before production, and as long: a deployment-log record never starts after it finishes.
          const staging = { ...record, id: `${id}-staging`, environment: "staging", status: "success" as const, started_at: iso(event.at - HOUR - duration), finished_at: iso(event.at - HOUR) };
          data.deployments.push(logRow("deployment", staging));
        }
      }
    }
  }
  return production;
}

function mergePullRequest(
  random: SeededRandom,
  data: DemoData,
  pr: { repo: string; number: number; head: string; mergedAt: number; maxLeadHours: number },
): { head: string; hotfix: boolean } {
  const hotfix = random.chance(0.08);
  const toDefault = !random.chance(0.04);
  const kind = hotfix ? "hotfix" : random.pick(["feature", "fix", "chore", "model"] as const);
  const labels = [
    ...(hotfix ? ["hotfix"] : []),
    ...(kind === "fix" ? ["bug"] : []),
    ...(kind === "feature" ? ["enhancement"] : []),
  ];
  const title = `${TITLES[kind]} (#${pr.number})`;
  const leadMs = random.float(1, hotfix ? 4 : pr.maxLeadHours) * HOUR;
  const count = random.int(1, 5);
  const prCommits = Array.from({ length: count }, (_, i) => ({
    sha: random.sha(),
    authoredAt: pr.mergedAt - leadMs + (i * (leadMs - HOUR / 2)) / count,
  }));
  const squash = random.chance(0.6);
  const mergeSha = random.sha();
  const headRef = hotfix ? `hotfix/${pr.number}` : `${kind}/${pr.number}`;
  const baseRef = toDefault ? DEFAULT_BRANCH : "develop";
  // Each of the PR's commits follows the one before; the first follows the default branch's head.
  const payloads = prCommits.map((commit, i) => commitPayload(commit.sha, [i === 0 ? pr.head : prCommits[i - 1]!.sha], commit.authoredAt, title));
  const pull: PullPayload = {
    number: pr.number,
    title,
    body: null,
    html_url: `https://github.com/${pr.repo}/pull/${pr.number}`,
    state: "closed",
    labels: labels.map((name) => ({ name })),
    created_at: iso(prCommits[0]!.authoredAt),
    updated_at: iso(pr.mergedAt),
    merged_at: iso(pr.mergedAt),
    merge_commit_sha: mergeSha,
    head: { ref: headRef, sha: prCommits.at(-1)!.sha },
    base: { ref: baseRef, sha: pr.head },
  };
  data.pullRequests.push(pullRecord(pr.repo, pull, DEFAULT_BRANCH));
  for (const payload of payloads) data.pullRequestCommits.push(pullCommitRecord(pr.repo, pr.number, payload));
  if (!toDefault) return { head: pr.head, hotfix: false };
  // A merge commit keeps the PR's commits in the default branch's history; a squash replaces them.
  if (!squash) for (const payload of payloads) data.commits.push(commitRecord(pr.repo, payload));
  const branchHead = squash ? [] : [prCommits.at(-1)!.sha];
  data.commits.push(commitRecord(pr.repo, commitPayload(mergeSha, [pr.head, ...branchHead], pr.mergedAt, title)));
  return { head: mergeSha, hotfix };
}

const TITLES = {
  hotfix: "Hotfix: guard against empty feature vectors",
  feature: "Add per-merchant score thresholds",
  fix: "Fix timezone handling in feature pipeline",
  chore: "Bump dependencies",
  model: "Retrain with last month's labels",
} as const;

/** A commit as GitHub's API lists it, authored and committed at `at`. */
function commitPayload(sha: string, parents: string[], at: number, message: string): CommitPayload {
  const signature = { date: iso(at) };
  return { sha, commit: { message, author: signature, committer: signature }, parents: parents.map((parent) => ({ sha: parent })) };
}

/** A deployment-log record of `type` → its row, through the connector's own checks and mapping (inputs.md). */
function logRow<T extends DeploymentLogType>(type: T, record: Record<string, unknown>): RowOf<T> {
  return deployLogRecord({ type, ...record }).row as RowOf<T>;
}

function generateIncidents(random: SeededRandom, data: DemoData, shipped: { id: string; finishedAt: number; service: string }[], profile: Profile, end: number) {
  for (const deployment of shipped) {
    if (!random.chance(profile.incidentRate)) continue;
    const startedAt = deployment.finishedAt + random.float(0.2, 30) * HOUR;
    if (startedAt >= end) continue;
    const resolvedAt = startedAt + random.float(0.1, 2) * profile.restoreHours * HOUR;
    const id = `INC-${deployment.id}`;
    const named = random.chance(0.5);
    const record = {
      id,
      started_at: iso(startedAt),
      ...(resolvedAt < end ? { resolved_at: iso(resolvedAt) } : {}),
      title: random.pick(["Elevated 5xx on scoring endpoint", "Latency spike after rollout", "Score drift alarm", "Queue backlog"]),
      severity: random.pick(["sev2", "sev3", "sev3"]),
      ...(named ? { deployment_id: deployment.id } : { service: deployment.service }),
    };
    data.incidents.push(logRow("incident", record));
  }
}

function generateReleases(random: SeededRandom, data: DemoData, repo: string, start: number, end: number) {
  let minor = 0;
  for (let at = start + random.int(1, 10) * DAY; at < end; at += random.int(8, 18) * DAY) {
    minor += 1;
    const tag = `v1.${minor}.0`;
    const draft = random.chance(0.05);
    const prerelease = !draft && random.chance(0.08);
    const publishedAt = draft ? null : iso(at + random.int(9, 17) * HOUR);
    const release: ReleasePayload = {
      id: minor,
      tag_name: tag,
      name: `Release ${tag}`,
      html_url: `https://github.com/${repo}/releases/tag/${tag}`,
      draft,
      prerelease,
      created_at: iso(at),
      published_at: publishedAt,
    };
    data.releases.push(releaseRecord(repo, release));
  }
}

const GITHUB_ISSUES = [
  { labels: ["bug"], title: "Scores are NaN for merchants without history", weight: 5, maxDays: 20 },
  { labels: ["enhancement"], title: "Expose feature importances in the API", weight: 4, maxDays: 20 },
  { labels: ["bug", "incident"], title: "Scoring service returned 503 for 20 minutes", weight: 1, maxDays: 0.5 },
  { labels: ["data-quality"], title: "Duplicate rows in the nightly export", weight: 1, maxDays: 5 },
  { labels: ["question"], title: "How are thresholds chosen?", weight: 1, maxDays: 10 },
] as const;

function generateGithubIssues(random: SeededRandom, data: DemoData, repo: string, start: number, end: number) {
  const pool = weightedPool(GITHUB_ISSUES);
  let number = 10_000;
  for (let at = start; at < end; at += random.float(0.5, 4) * DAY) {
    number += 1;
    const issue = random.pick(pool);
    const closedAt = at + random.float(0.02, issue.maxDays) * DAY;
    const closed = closedAt < end && !random.chance(0.1);
    const reason = closed ? (random.chance(0.12) ? "not_planned" : "completed") : null;
    const payload: IssuePayload = {
      number,
      title: issue.title,
      html_url: `https://github.com/${repo}/issues/${number}`,
      state: closed ? "closed" : "open",
      state_reason: reason,
      labels: issue.labels.map((name) => ({ name })),
      created_at: iso(at),
      updated_at: iso(closed ? closedAt : at),
      closed_at: closed ? iso(closedAt) : null,
    };
    data.workItems.push(issueRecord(repo, payload));
  }
}

const JIRA_ISSUES = [
  { type: "Bug", labels: [], title: "Model service times out on large batches", weight: 5, maxDays: 10 },
  { type: "Story", labels: [], title: "Add a shadow deployment step for new models", weight: 5, maxDays: 25 },
  { type: "Incident", labels: [], title: "Feature store unavailable", weight: 1, maxDays: 0.5 },
  { type: "Access Request", labels: ["data-access"], title: "Read access to the labelled training set", weight: 2, maxDays: 6 },
  { type: "Task", labels: ["data-quality"], title: "Null merchant ids in yesterday's partition", weight: 1, maxDays: 4 },
] as const;

function generateJiraIssues(random: SeededRandom, data: DemoData, key: string, start: number, end: number) {
  const pool = weightedPool(JIRA_ISSUES);
  let number = 0;
  for (let at = start; at < end; at += random.float(0.3, 3) * DAY) {
    number += 1;
    const issue = random.pick(pool);
    const resolvedAt = at + random.float(0.02, issue.maxDays) * DAY;
    const done = resolvedAt < end && !random.chance(0.1);
    const resolution = done ? (random.chance(0.07) ? "Won't Do" : "Done") : null;
    const issueKey = `${key}-${number}`;
    // Random draws in the order the demo has always made them: status, then its category.
    const status = done ? "Done" : random.pick(["To Do", "In Progress"]);
    const statusCategory = done ? "done" : random.pick(["new", "indeterminate"]);
    const payload: JiraIssue = {
      id: `demo-${issueKey}`,
      key: issueKey,
      fields: {
        summary: issue.title,
        project: { key },
        issuetype: { name: issue.type },
        labels: [...issue.labels],
        status: { name: status, statusCategory: { key: statusCategory } },
        resolution: resolution === null ? null : { name: resolution },
        created: iso(at),
        updated: iso(done ? resolvedAt : at),
        resolutiondate: done ? iso(resolvedAt) : null,
      },
    };
    data.workItems.push(toWorkItem(payload, JIRA_SITE));
  }
}

/** The fraud team's scrum board: two-week sprints, the last one running, the next one planned. */
const DEMO_BOARD = { id: 12, name: "FRD board" };
const DEMO_SPRINTS = 6;

/**
 * The board's sprints (the Agile API's payloads through the connector's record builder), drawn
 * without random numbers so the rest of the demo is unchanged: each starts on a Monday at 08:00
 * UTC and ends on the second Friday at 17:00; a closed one is completed an hour before its end,
 * except the third from last, completed the next Monday morning.
 */
function generateSprints(data: DemoData, key: string, end: number) {
  const lastDay = new Date(end - DAY);
  // The running sprint started on the Monday of the week before the demo's last day.
  const monday = Date.UTC(lastDay.getUTCFullYear(), lastDay.getUTCMonth(), lastDay.getUTCDate()) - ((lastDay.getUTCDay() + 6) % 7) * DAY - 7 * DAY;
  for (let index = 0; index <= DEMO_SPRINTS; index++) {
    const number = 40 + index;
    const startAt = monday - (DEMO_SPRINTS - 1 - index) * 14 * DAY + 8 * HOUR;
    const endAt = startAt + 11 * DAY + 9 * HOUR;
    const state = index < DEMO_SPRINTS - 1 ? "closed" : index === DEMO_SPRINTS - 1 ? "active" : "future";
    const completeAt = index === DEMO_SPRINTS - 3 ? endAt + 2 * DAY + 16 * HOUR : endAt - HOUR;
    const sprint: JiraSprint = {
      id: 1000 + number,
      name: `${key} Sprint ${number}`,
      state,
      ...(state === "future" ? {} : { startDate: iso(startAt), endDate: iso(endAt) }),
      ...(state === "closed" ? { completeDate: iso(completeAt) } : {}),
      originBoardId: DEMO_BOARD.id,
    };
    data.sprints.push(toSprint(key, DEMO_BOARD, sprint));
  }
}

/**
 * Weekly retrains through the model registry (the MLflow source's records: the production
 * alias moving, its deployments, the versions' run metrics), and SLA observations every 6 hours.
 */
function generateModel(random: SeededRandom, data: DemoData, plan: { model: string; repo: string; start: number; end: number }) {
  const { model, start, end } = plan;
  generateRegistryModel(random, data, { model, start, end });
  for (let day = start; day < end; day += DAY) {
    for (let hour = 0; hour < 24; hour += 6) {
      const at = iso(day + hour * HOUR);
      const latency = round(random.float(90, 230), 1);
      const availability = round(random.float(99.2, 100), 2);
      for (const sla of [{ objective: "latency_p95_ms", value: latency, limit: 200, direction: "max" }, { objective: "availability", value: availability, limit: 99.5, direction: "min" }]) {
        data.modelSla.push(logRow("model_sla", { model, ...sla, observed_at: at }));
      }
    }
  }
}

/** Refreshes by the dataset's DAG runs (the Airflow source's records); a few quality issues. */
function generateDataset(random: SeededRandom, data: DemoData, dataset: string, start: number, end: number) {
  generateDagRefreshes(random, data, { dataset, start, end, demoDays: DEMO_DAYS });
  let number = 0;
  for (let at = start + random.float(1, 20) * DAY; at < end; at += random.float(4, 25) * DAY) {
    number += 1;
    const id = `DQ-${dataset}-${number}`;
    const resolvedAt = at + random.float(1, 72) * HOUR;
    const description = random.pick(["Row count dropped 40% day over day", "Schema drift: new nullable column", "Late-arriving partition"]);
    data.dataQualityIssues.push(logRow("data_quality_issue", { id, dataset, detected_at: iso(at), ...(resolvedAt < end ? { resolved_at: iso(resolvedAt) } : {}), description }));
  }
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/** Tables the demo fills, emptied before it is regenerated. */
const DEMO_TABLES = [
  deployments,
  incidents,
  pullRequests,
  pullRequestCommits,
  commits,
  releases,
  workItems,
  modelMetrics,
  modelSlaObservations,
  modelPointerEvents,
  dataRefreshes,
  dataQualityIssues,
  sprints,
];

/** Replaces every record in the database with the demo organisation ending `lastDay`. */
export async function writeDemoData(store: Store, lastDay: string): Promise<void> {
  const data = generateDemoData(lastDay);
  await store.db.transaction(async (tx) => {
    for (const table of DEMO_TABLES) await tx.delete(table);
  });
  const chunks = <T>(rows: T[]) => Array.from({ length: Math.ceil(rows.length / 2000) }, (_, i) => rows.slice(i * 2000, (i + 1) * 2000));
  const upserts: [PgTable, Record<string, unknown>[]][] = [
    [deployments, data.deployments],
    [incidents, data.incidents],
    [pullRequests, data.pullRequests],
    [commits, data.commits],
    [releases, data.releases],
    [workItems, data.workItems],
    [modelMetrics, data.modelMetrics],
    [modelSlaObservations, data.modelSla],
    [modelPointerEvents, data.modelPointerEvents],
    [dataRefreshes, data.dataRefreshes],
    [dataQualityIssues, data.dataQualityIssues],
    [sprints, data.sprints],
  ];
  for (const [table, rows] of upserts) for (const chunk of chunks(rows)) await upsertRecords(store, table, chunk as never);
  for (const chunk of chunks(data.pullRequestCommits)) await store.db.insert(pullRequestCommits).values(chunk).onConflictDoNothing();
  // As after a GitHub sync: commits placed on their default branch's line and linked to their pull requests.
  for (const repo of new Set(data.commits.map((commit) => commit.repo))) await enrichRepo(store, repo);
  await writeDemoTargets(store, shiftDate(lastDay, 1 - DEMO_DAYS), lastDay);
  await writeDemoNotes(store, lastDay);
}

/** The demo's last day: yesterday in UTC (the server start and `shipshape demo` agree on it). */
export function demoLastDay(now: Date = new Date()): string {
  return iso(now.getTime() - DAY).slice(0, 10);
}

/**
 * At server start in demo mode: generate the organisation when the database has none, or when
 * its history ends more than a day ago (so the demo's "last 28 days" is never empty).
 * Returns whether it generated.
 */
export async function ensureDemoData(store: Store, now: Date): Promise<boolean> {
  const yesterday = demoLastDay(now);
  // Datasets refresh at least daily, weekends too: the latest refresh dates the demo.
  const [latest] = await store.rows<{ latest: string | null }>(sql`SELECT max(finished_at)::text AS latest FROM data_refreshes`);
  if (latest?.latest && Date.parse(latest.latest) >= Date.parse(`${yesterday}T00:00:00Z`) - DAY) return false;
  await writeDemoData(store, yesterday);
  return true;
}
