/** A small Jira organisation for the connector's tests, with the configuration that reads it. */
import { readFileSync } from "node:fs";
import { parseConfig, type Config } from "@/lib/config/load";
import type { FakeIssue, FakeJira, RecordedIssue } from "@/test/support/jira-server";

/** Two Shipshape projects over the Jira projects FRD and OPS; `extra` lines go under sources.jira. */
export function jiraConfig(url: string, options: { keys?: string[]; extra?: string } = {}): Config {
  return parseConfig(jiraConfigYaml(url, options), "test.yaml", {} as NodeJS.ProcessEnv);
}

export function jiraConfigYaml(url: string, { keys = ["FRD", "OPS"], extra = "" }: { keys?: string[]; extra?: string } = {}): string {
  return `
projects:
  - slug: fraud
    name: Fraud detection
    jira: { projects: [${keys.join(", ")}] }
  - slug: ops
    name: Operations
    jira: { projects: [OPS] }
sources:
  jira:
    base_url: ${url}
    email: bot@acme.example
    token: secret
${extra
  .split("\n")
  .filter(Boolean)
  .map((line) => `    ${line}`)
  .join("\n")}
`;
}

const issue = (fields: Partial<FakeIssue> & Pick<FakeIssue, "id" | "key" | "type" | "created" | "updated">): FakeIssue => ({
  project: fields.key.split("-")[0]!,
  summary: `Summary of ${fields.key}`,
  labels: [],
  status: "To Do",
  category: "new",
  resolution: null,
  resolved: null,
  histories: [],
  ...fields,
});

/**
 * FRD: a bug reopened and resolved again (5 histories: more than the 2 a search embeds, so its
 * changelog is paged), a story in progress, a data-quality task, a plain task (not kept, but the
 * newest update), a bug resolved as Won't Do. OPS: an incident and an access request.
 */
export function seed(jira: FakeJira) {
  jira.projects = new Set(["FRD", "OPS", "MOB"]);
  jira.issues = [
    issue({
      id: "10001",
      key: "FRD-1",
      type: "Bug",
      status: "Done",
      category: "done",
      resolution: "Done",
      created: "2026-11-02T09:00:00.000Z",
      updated: "2026-11-20T13:05:00.000Z",
      resolved: "2026-11-20T13:05:00.000Z",
      histories: [
        { id: "100", at: "2026-11-03T10:00:00.000Z", items: [{ field: "status", from: "To Do", to: "In Progress" }] },
        {
          id: "101",
          at: "2026-11-04T10:00:00.000Z",
          items: [
            { field: "status", from: "In Progress", to: "Done" },
            { field: "resolution", from: null, to: "Done" },
          ],
        },
        {
          id: "102",
          at: "2026-11-10T10:00:00.000Z",
          items: [
            { field: "status", from: "Done", to: "Reopened" },
            { field: "resolution", from: "Done", to: null },
          ],
        },
        { id: "103", at: "2026-11-12T10:00:00.000Z", items: [{ field: "assignee", from: null, to: "Ann" }] },
        {
          id: "104",
          at: "2026-11-20T13:05:00.000Z",
          items: [
            { field: "resolution", from: null, to: "Done" },
            { field: "status", from: "Reopened", to: "Done" },
          ],
        },
      ],
    }),
    issue({
      id: "10002",
      key: "FRD-2",
      type: "Story",
      status: "In Progress",
      category: "indeterminate",
      created: "2026-11-05T08:00:00.000Z",
      updated: "2026-11-19T16:30:00.000Z",
      histories: [{ id: "110", at: "2026-11-19T16:30:00.000Z", items: [{ field: "status", from: "To Do", to: "In Progress" }] }],
    }),
    issue({ id: "10003", key: "FRD-3", type: "Task", labels: ["data-quality"], created: "2026-11-18T07:00:00.000Z", updated: "2026-11-18T07:00:00.000Z" }),
    issue({ id: "10004", key: "FRD-4", type: "Task", created: "2026-11-20T13:07:45.000Z", updated: "2026-11-20T13:07:45.000Z" }),
    issue({
      id: "10005",
      key: "FRD-5",
      type: "Bug",
      status: "Closed",
      category: "done",
      resolution: "Won't Do",
      created: "2026-11-14T09:00:00.000Z",
      updated: "2026-11-15T12:00:00.000Z",
      resolved: "2026-11-15T12:00:00.000Z",
      histories: [
        {
          id: "120",
          at: "2026-11-15T12:00:00.000Z",
          items: [
            { field: "status", from: "To Do", to: "Closed" },
            { field: "resolution", from: null, to: "Won't Do" },
          ],
        },
      ],
    }),
    issue({
      id: "20001",
      key: "OPS-1",
      type: "Incident",
      status: "Resolved",
      category: "done",
      resolution: "Done",
      created: "2026-11-19T22:00:00.000Z",
      updated: "2026-11-20T01:30:00.000Z",
      resolved: "2026-11-20T01:30:00.000Z",
    }),
    issue({ id: "20002", key: "OPS-2", type: "Access Request", created: "2026-11-16T09:00:00.000Z", updated: "2026-11-16T09:00:00.000Z" }),
  ];
}

/**
 * A Jira Cloud `GET /rest/api/3/search/jql?fields=…&expand=changelog` answer for the project
 * OPS, shaped field for field like a real Cloud site's (users with avatar URLs and time zones,
 * issue types with their avatars and hierarchy level, status categories, changelog items with
 * field ids and account ids). Three of its issues hold U+0000 — at the end of a summary, inside
 * another, in a label and in a resolution name — and one summary ends in half an emoji (a lone
 * surrogate), as real payloads do.
 */
export const recordedSearchPage = JSON.parse(readFileSync(new URL("./recorded/search-jql-page.json", import.meta.url), "utf8")) as {
  issues: RecordedIssue[];
  isLast: boolean;
};

/** The fake serves the recorded issues (their search pages, scans and lookups by id) as Jira sent them. */
export function seedRecorded(jira: FakeJira, issues: RecordedIssue[] = recordedSearchPage.issues) {
  jira.timeZone = "Europe/Berlin";
  jira.projects = new Set(issues.map((recorded) => (recorded.fields.project as { key: string }).key));
  jira.issues = issues.map((recorded) => {
    const fields = recorded.fields as {
      summary: string;
      project: { key: string };
      issuetype: { name: string };
      labels: string[];
      status: { name: string; statusCategory: { key: FakeIssue["category"] } };
      resolution: { name: string } | null;
      created: string;
      updated: string;
      resolutiondate: string | null;
    };
    const iso = (jiraTime: string) => new Date(jiraTime).toISOString();
    return {
      id: recorded.id,
      key: recorded.key,
      project: fields.project.key,
      summary: fields.summary,
      type: fields.issuetype.name,
      labels: fields.labels,
      status: fields.status.name,
      category: fields.status.statusCategory.key,
      resolution: fields.resolution?.name ?? null,
      created: iso(fields.created),
      updated: iso(fields.updated),
      resolved: fields.resolutiondate ? iso(fields.resolutiondate) : null,
      histories: [],
      recorded,
    };
  });
}

/**
 * FRD's boards: a scrum board (7) with four sprints — two closed (the second completed a day
 * after its planned end), one active, one future without dates — read in pages of 2, and a
 * kanban board (8), which has no sprints. OPS: a scrum board (9) without sprints.
 */
export function seedBoards(jira: FakeJira) {
  jira.boards = [
    { id: 7, name: "FRD board", type: "scrum", projects: ["FRD"] },
    { id: 8, name: "FRD flow", type: "kanban", projects: ["FRD"] },
    { id: 9, name: "OPS board", type: "scrum", projects: ["OPS"] },
  ];
  jira.sprints = [
    { id: 31, boardId: 7, name: "FRD Sprint 31", state: "closed", start: "2026-10-26T08:00:00.000Z", end: "2026-11-06T17:00:00.000Z", complete: "2026-11-06T15:30:00.000Z" },
    { id: 32, boardId: 7, name: "FRD Sprint 32", state: "closed", start: "2026-11-09T08:00:00.000Z", end: "2026-11-20T17:00:00.000Z", complete: "2026-11-21T09:00:00.000Z" },
    { id: 33, boardId: 7, name: "FRD Sprint 33", state: "active", start: "2026-11-23T08:00:00.000Z", end: "2026-12-04T17:00:00.000Z", goal: "Ship the new scorer" },
    { id: 34, boardId: 7, name: "FRD Sprint 34", state: "future" },
  ];
}
