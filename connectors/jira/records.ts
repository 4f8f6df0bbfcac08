/**
 * Jira issues as Shipshape records: the issue's current state as a work item, its status and
 * resolution changes as transitions. No KPI logic: which types, labels and resolutions count
 * is decided by the report engine from the configuration.
 */
import type { InferInsertModel } from "drizzle-orm";
import type { sprints, workItems, workItemTransitions } from "@/db/schema";
import { instantOf, namesOf, type JiraHistory, type JiraIssue, type JiraSprint, type ScannedIssue } from "./payloads";

export const JIRA_SOURCE = "jira";

/** The fields every search asks for: what the mapping reads, and what `raw` keeps. */
export const ISSUE_FIELDS = ["summary", "project", "issuetype", "labels", "status", "resolution", "created", "updated", "resolutiondate"];

/** Changelog fields kept as transitions. */
const TRACKED_FIELDS = new Set(["status", "resolution"]);

export type WorkItemRecord = InferInsertModel<typeof workItems>;
export type TransitionRecord = InferInsertModel<typeof workItemTransitions>;

/** The issue types and labels whose issues Shipshape keeps (any type or label a KPI reads). */
export interface IssueFilter {
  issueTypes: string[];
  labels: string[];
}

/** Case-insensitive, like Jira's own JQL on type names and labels. */
export function matters(issue: JiraIssue | ScannedIssue, filter: IssueFilter): boolean {
  const types = new Set(filter.issueTypes.map(lower));
  const labels = new Set(filter.labels.map(lower));
  return types.has(lower(issue.fields.issuetype.name)) || (issue.fields.labels ?? []).some((label) => labels.has(lower(label)));
}

export function toWorkItem(issue: JiraIssue, baseUrl: string): WorkItemRecord {
  const { fields } = issue;
  // The changelog is stored as transitions; keeping it here too would rewrite the row whenever
  // Cloud pages it differently.
  const { changelog: _changelog, ...raw } = issue;
  return {
    source: JIRA_SOURCE,
    externalId: issue.id,
    raw,
    container: fields.project.key,
    key: issue.key,
    title: fields.summary ?? "",
    url: `${baseUrl.replace(/\/+$/, "")}/browse/${issue.key}`,
    issueType: fields.issuetype.name,
    labels: fields.labels ?? [],
    status: fields.status.name,
    statusCategory: fields.status.statusCategory?.key ?? null,
    resolution: fields.resolution?.name ?? null,
    createdAt: instantOf(fields.created),
    resolvedAt: fields.resolutiondate ? instantOf(fields.resolutiondate) : null,
    updatedAt: instantOf(fields.updated),
  };
}

export function toTransitions(issueId: string, histories: JiraHistory[]): TransitionRecord[] {
  return histories.flatMap((history) =>
    history.items.flatMap((item, index) =>
      TRACKED_FIELDS.has(item.field)
        ? [
            {
              source: JIRA_SOURCE,
              externalId: `${history.id}:${index}`,
              raw: history,
              itemExternalId: issueId,
              field: item.field,
              fromValue: namesOf(item).from,
              toValue: namesOf(item).to,
              changedAt: instantOf(history.created),
            },
          ]
        : [],
    ),
  );
}

function lower(text: string): string {
  return text.toLowerCase();
}

export type SprintRecord = InferInsertModel<typeof sprints>;

/** A board's sprint as stored: its dates as instants, the sprint as Jira sent it in `raw`. */
export function toSprint(container: string, board: { id: number; name: string }, sprint: JiraSprint): SprintRecord {
  return {
    source: JIRA_SOURCE,
    externalId: `${board.id}:${sprint.id}`,
    raw: sprint,
    container,
    boardId: board.id,
    boardName: board.name,
    sprintId: sprint.id,
    name: sprint.name,
    state: sprint.state,
    startedAt: sprint.startDate ? instantOf(sprint.startDate) : null,
    endsAt: sprint.endDate ? instantOf(sprint.endDate) : null,
    completedAt: sprint.completeDate ? instantOf(sprint.completeDate) : null,
  };
}
