/**
 * `shipshape sync --source jira`: for each configured Jira project key, an incremental read of
 * the issues updated since the stream's cursor (minus an overlap), then a reconcile pass that
 * finds what an incremental read cannot see: deleted issues, issues moved away, and issue types
 * renamed in Jira's admin (which changes no issue's `updated`). See docs/jira.md.
 */
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { JiraReader, JiraRequestError } from "@/connectors/jira/client";
import { issuesByIdJql, jqlMinute, projectIssuesJql, type UpdatedFrom } from "@/connectors/jira/jql";
import { instantOf, type JiraIssue, type ScannedIssue } from "@/connectors/jira/payloads";
import { ISSUE_FIELDS, JIRA_SOURCE, matters, toTransitions, toWorkItem, type IssueFilter } from "@/connectors/jira/records";
import type { Store } from "@/db/client";
import { workItems, workItemTransitions } from "@/db/schema";
import { upsertRecords } from "@/db/upsert";
import type { JiraSourceConfig } from "@/lib/config/schema";
import { isTimeZone } from "@/lib/time/zone";
import type { SourceSync, SyncContext, SyncOutcome } from "./run";
import { readCursor, saveCursor } from "./stream-state";

/**
 * Re-read this much before the cursor: JQL dates have minute resolution, and Jira's search
 * index can show an update a little after it happened. Re-read issues are unchanged upserts.
 */
export const OVERLAP_MINUTES = 10;

/** The newest `updated` stored from the stream, as an ISO instant. */
const cursorSchema = z.object({ updated: z.iso.datetime() });

/** Issues fetched by id per JQL query (`id in (...)`). */
const ID_BATCH = 100;

export interface JiraSyncOptions {
  /** First backoff step in ms for 429/5xx retries; tests pass a few ms. */
  backoffMs?: number;
  retries?: number;
}

/** The Jira source; options only tune retries. */
export function jiraSync(options: JiraSyncOptions = {}): SourceSync {
  return (context) => syncJira(context, options);
}

interface ProjectRun {
  context: SyncContext;
  config: JiraSourceConfig;
  reader: JiraReader;
  zone: string;
  filter: IssueFilter;
  counts: Record<string, number>;
}

async function syncJira(context: SyncContext, options: JiraSyncOptions): Promise<SyncOutcome> {
  const config = context.config.sources.jira;
  if (!config) throw new Error("sources.jira is not configured");
  const reader = new JiraReader({
    baseUrl: config.base_url,
    email: config.email,
    token: config.token,
    apiVersion: config.api_version,
    log: context.log,
    ...options,
  });
  const keys = projectKeys(context);
  const zone = await accountTimeZone(reader);
  const filter: IssueFilter = { issueTypes: Object.values(config.issue_types).flat(), labels: Object.values(config.labels).flat() };
  const counts: Record<string, number> = {};
  const errors: string[] = [];
  for (const key of keys) {
    try {
      await syncProject(key, { context, config, reader, zone, filter, counts });
    } catch (error) {
      if (error instanceof JiraRequestError && error.failure === "auth") throw withCredentialsHint(error);
      if (!(error instanceof JiraRequestError)) throw error;
      errors.push(`${key}: ${error.message}`);
    }
  }
  return { records: counts, requests: reader.requests, errors, parts: keys.length };
}

/** Every project key of every configured project, once; only those asked for when `only` is given. */
function projectKeys({ config, only }: SyncContext): string[] {
  const keys = [...new Set(config.projects.flatMap((project) => project.jira?.projects ?? []))];
  return only ? keys.filter((key) => only.includes(key)) : keys;
}

async function accountTimeZone(reader: JiraReader): Promise<string> {
  try {
    const zone = await reader.timeZone();
    if (!isTimeZone(zone)) throw new Error(`Jira's /myself gives the time zone "${zone}", which is not an IANA zone this system knows`);
    return zone;
  } catch (error) {
    throw error instanceof JiraRequestError && error.failure === "auth" ? withCredentialsHint(error) : error;
  }
}

function withCredentialsHint(error: JiraRequestError): Error {
  return new Error(`${error.message}; check sources.jira.email and sources.jira.token (an API token for Jira Cloud, a personal access token without email for Server / Data Center)`);
}

async function syncProject(key: string, run: ProjectRun): Promise<void> {
  const { context, config, reader, zone } = run;
  const stream = `${key}:issues`;
  const cursor = await readCursor(context.store, JIRA_SOURCE, stream, cursorSchema);
  const from: UpdatedFrom = cursor
    ? { instant: new Date(Date.parse(cursor.updated) - OVERLAP_MINUTES * 60_000) }
    : config.since
      ? { date: config.since }
      : null;
  const jql = projectIssuesJql(key, from, zone);
  context.log(`jira ${key}: searching ${jql}`);
  let newest = cursor?.updated ?? null;
  for await (const page of reader.search(jql, ISSUE_FIELDS)) {
    await storeIssues(await keptIssues(context.store, page, run.filter), key, run);
    for (const issue of page) {
      const updated = instantOf(issue.fields.updated);
      if (newest === null || updated > newest) newest = updated;
    }
    // Oldest update first: everything up to `newest` is stored once this page is.
    if (newest !== null) await saveCursor(context.store, JIRA_SOURCE, stream, { updated: newest });
  }
  await reconcile(key, run);
}

/** Issues whose type or labels matter, and issues already stored (kept current even if they stopped mattering). */
async function keptIssues(store: Store, issues: JiraIssue[], filter: IssueFilter): Promise<JiraIssue[]> {
  const stored = await storedIds(store, issues.map((issue) => issue.id));
  return issues.filter((issue) => matters(issue, filter) || stored.has(issue.id));
}

/**
 * Compares a light scan of the project (type, labels, updated of every issue) with what is
 * stored for it. Stored issues the scan does not return were deleted or moved: each is asked
 * for by id (a moved issue keeps its id) and updated, or removed when Jira no longer knows it.
 * Issues whose type or labels differ from the stored ones (a renamed type) or that matter but
 * are missing are re-read whole.
 */
async function reconcile(key: string, run: ProjectRun): Promise<void> {
  const { context, config, reader, zone, filter } = run;
  const scanned = new Map<string, ScannedIssue>();
  for await (const page of reader.scan(projectIssuesJql(key, null, zone))) {
    for (const issue of page) scanned.set(issue.id, issue);
  }
  const stored = await context.store.db
    .select({ id: workItems.externalId, issueType: workItems.issueType, labels: workItems.labels })
    .from(workItems)
    .where(and(eq(workItems.source, JIRA_SOURCE), eq(workItems.container, key)));
  const storedById = new Map(stored.map((row) => [row.id, row]));

  const stale = [...scanned.values()]
    .filter((issue) => {
      const row = storedById.get(issue.id);
      if (!row) return matters(issue, filter) && withinSince(issue, config.since, zone);
      return row.issueType !== issue.fields.issuetype.name || !sameLabels(row.labels, issue.fields.labels ?? []);
    })
    .map((issue) => issue.id);
  for (let start = 0; start < stale.length; start += ID_BATCH) {
    const ids = stale.slice(start, start + ID_BATCH);
    for await (const page of reader.search(issuesByIdJql(ids), ISSUE_FIELDS)) await storeIssues(page, key, run);
  }

  const gone: string[] = [];
  for (const row of stored) {
    if (scanned.has(row.id)) continue;
    const issue = await reader.issueById(row.id, ISSUE_FIELDS, true);
    if (issue) await storeIssues([issue], key, run);
    else gone.push(row.id);
  }
  await removeIssues(context.store, gone);
  count(run.counts, `${key}:removed`, gone.length);
  if (gone.length) context.log(`jira ${key}: removed ${gone.length} issue(s) Jira no longer has: ${gone.join(", ")}`);
}

/** Stores the issues with their whole changelogs; counts what was written under the project's streams. */
async function storeIssues(issues: JiraIssue[], key: string, run: ProjectRun): Promise<void> {
  if (issues.length === 0) return;
  const { context, config, reader, counts } = run;
  const transitions = [];
  for (const issue of issues) transitions.push(...toTransitions(issue.id, await reader.histories(issue)));
  const items = await upsertRecords(context.store, workItems, issues.map((issue) => toWorkItem(issue, config.base_url)));
  const changes = await upsertRecords(context.store, workItemTransitions, transitions);
  count(counts, `${key}:issues`, items.inserted + items.updated);
  count(counts, `${key}:transitions`, changes.inserted + changes.updated);
}

async function storedIds(store: Store, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await store.db
    .select({ id: workItems.externalId })
    .from(workItems)
    .where(and(eq(workItems.source, JIRA_SOURCE), inArray(workItems.externalId, ids)));
  return new Set(rows.map((row) => row.id));
}

async function removeIssues(store: Store, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await store.db.delete(workItemTransitions).where(and(eq(workItemTransitions.source, JIRA_SOURCE), inArray(workItemTransitions.itemExternalId, ids)));
  await store.db.delete(workItems).where(and(eq(workItems.source, JIRA_SOURCE), inArray(workItems.externalId, ids)));
}

/** `since` bounds the first read; the reconcile must not fetch older issues behind its back. */
function withinSince(issue: ScannedIssue, since: string | undefined, zone: string): boolean {
  return !since || jqlMinute(new Date(issue.fields.updated), zone).slice(0, 10) >= since;
}

function sameLabels(stored: string[], current: string[]): boolean {
  return stored.length === current.length && [...stored].sort().join("\n") === [...current].sort().join("\n");
}

function count(counts: Record<string, number>, stream: string, n: number) {
  if (n > 0) counts[stream] = (counts[stream] ?? 0) + n;
}
