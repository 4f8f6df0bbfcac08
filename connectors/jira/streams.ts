/**
 * The Jira connector's streams for one project key (docs/jira.md): an incremental read of the
 * issues updated since the cursor (minus an overlap), oldest update first so every stored page
 * checkpoints the cursor; then a reconcile scan that finds what an incremental read cannot
 * see — deleted issues, issues moved away, issue types renamed in Jira's admin (which changes
 * no issue's `updated`) — and keeps no state of its own.
 */
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { remove, UNCHANGED, upsert, type Stream, type StreamRun, type Write } from "@/connectors/stream";
import { workItems, workItemTransitions } from "@/db/schema";
import { JiraReader } from "./client";
import { issuesByIdJql, jqlMinute, projectIssuesJql, type UpdatedFrom } from "./jql";
import { instantOf, type JiraIssue, type ScannedIssue } from "./payloads";
import { ISSUE_FIELDS, JIRA_SOURCE, matters, toTransitions, toWorkItem, type IssueFilter } from "./records";

/** What the connector reads of `sources.jira`. */
export interface JiraSettings {
  base_url: string;
  email?: string;
  token: string;
  since?: string;
  api_version: 2 | 3;
  issue_types: Record<string, string[]>;
  labels: Record<string, string[]>;
}

/** What every stream of a run shares. */
export interface JiraSession {
  reader: JiraReader;
  settings: JiraSettings;
  /** The account's time zone: Jira reads JQL dates in it. */
  zone: string;
  filter: IssueFilter;
}

/** A stream of one project key. */
type ProjectStream<C> = Stream<string, JiraSession, C>;
type ProjectRun = StreamRun<string, JiraSession, unknown>;

/**
 * Re-read this much before the cursor: JQL dates have minute resolution, and Jira's search
 * index can show an update a little after it happened. Re-read issues are unchanged upserts.
 */
export const OVERLAP_MINUTES = 10;

/** Issues fetched by id per JQL query (`id in (...)`). */
const ID_BATCH = 100;

/** The newest `updated` stored from the stream, as an ISO instant. */
const updatedCursor = z.object({ updated: z.iso.datetime() });

export const issuesStream: ProjectStream<z.infer<typeof updatedCursor>> = {
  name: "issues",
  cursor: updatedCursor,
  async read(run) {
    const { partition: key, session, state, emit } = run;
    const cursor = state?.cursor;
    const from: UpdatedFrom = cursor
      ? { instant: new Date(Date.parse(cursor.updated) - OVERLAP_MINUTES * 60_000) }
      : session.settings.since
        ? { date: session.settings.since }
        : null;
    const jql = projectIssuesJql(key, from, session.zone);
    run.log(`jira ${key}: searching ${jql}`);
    let newest = cursor?.updated ?? null;
    for await (const page of session.reader.search(jql, ISSUE_FIELDS)) {
      const writes = await issueWrites(await keptIssues(run, page), run);
      for (const issue of page) {
        const updated = instantOf(issue.fields.updated);
        if (newest === null || updated > newest) newest = updated;
      }
      // Oldest update first: everything up to `newest` is stored once this page is.
      await emit(writes, newest === null ? undefined : { cursor: { updated: newest }, etag: null });
    }
    return UNCHANGED;
  },
};

/** Issues whose type or labels matter, and issues already stored (kept current even if they stopped mattering). */
async function keptIssues(run: ProjectRun, issues: JiraIssue[]): Promise<JiraIssue[]> {
  const ids = issues.map((issue) => issue.id);
  const stored = ids.length
    ? await run.stored.db
        .select({ id: workItems.externalId })
        .from(workItems)
        .where(and(eq(workItems.source, JIRA_SOURCE), inArray(workItems.externalId, ids)))
    : [];
  const storedIds = new Set(stored.map((row) => row.id));
  return issues.filter((issue) => matters(issue, run.session.filter) || storedIds.has(issue.id));
}

/**
 * Compares a light scan of the project (type, labels, updated of every issue) with what is
 * stored for it. Stored issues the scan does not return were deleted or moved: each is asked
 * for by id (a moved issue keeps its id) and updated, or removed when Jira no longer knows it.
 * Issues whose type or labels differ from the stored ones (a renamed type) or that matter but
 * are missing are re-read whole.
 */
export const reconcileStream: ProjectStream<never> = {
  name: "reconcile",
  async read(run) {
    const { partition: key, session, emit } = run;
    const { reader, zone, filter, settings } = session;
    const scanned = new Map<string, ScannedIssue>();
    for await (const page of reader.scan(projectIssuesJql(key, null, zone))) {
      for (const issue of page) scanned.set(issue.id, issue);
    }
    const stored = await run.stored.db
      .select({ id: workItems.externalId, issueType: workItems.issueType, labels: workItems.labels })
      .from(workItems)
      .where(and(eq(workItems.source, JIRA_SOURCE), eq(workItems.container, key)));
    const storedById = new Map(stored.map((row) => [row.id, row]));

    const stale = [...scanned.values()]
      .filter((issue) => {
        const row = storedById.get(issue.id);
        if (!row) return matters(issue, filter) && withinSince(issue, settings.since, zone);
        return row.issueType !== issue.fields.issuetype.name || !sameLabels(row.labels, issue.fields.labels ?? []);
      })
      .map((issue) => issue.id);
    for (let start = 0; start < stale.length; start += ID_BATCH) {
      const ids = stale.slice(start, start + ID_BATCH);
      for await (const page of reader.search(issuesByIdJql(ids), ISSUE_FIELDS)) await emit(await issueWrites(page, run));
    }

    const gone: string[] = [];
    for (const row of stored) {
      if (scanned.has(row.id)) continue;
      const issue = await reader.issueById(row.id, ISSUE_FIELDS, true);
      if (issue) await emit(await issueWrites([issue], run));
      else gone.push(row.id);
    }
    if (gone.length === 0) return;
    await emit([
      remove(workItemTransitions, { source: JIRA_SOURCE, itemExternalId: { in: gone } }),
      remove(workItems, { source: JIRA_SOURCE, externalId: { in: gone } }, { key: `${key}:removed` }),
    ]);
    run.log(`jira ${key}: removed ${gone.length} issue(s) Jira no longer has: ${gone.join(", ")}`);
  },
};

/** The issues with their whole changelogs, counted (when written or changed) under the project's streams. */
async function issueWrites(issues: JiraIssue[], { partition: key, session }: ProjectRun): Promise<Write[]> {
  if (issues.length === 0) return [];
  const transitions = [];
  for (const issue of issues) transitions.push(...toTransitions(issue.id, await session.reader.histories(issue)));
  return [
    upsert(workItems, issues.map((issue) => toWorkItem(issue, session.settings.base_url)), { key: `${key}:issues`, changedOnly: true }),
    upsert(workItemTransitions, transitions, { key: `${key}:transitions`, changedOnly: true }),
  ];
}

/** `since` bounds the first read; the reconcile must not fetch older issues behind its back. */
function withinSince(issue: ScannedIssue, since: string | undefined, zone: string): boolean {
  return !since || jqlMinute(new Date(issue.fields.updated), zone).slice(0, 10) >= since;
}

function sameLabels(stored: string[], current: string[]): boolean {
  return stored.length === current.length && [...stored].sort().join("\n") === [...current].sort().join("\n");
}
