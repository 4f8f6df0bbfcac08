/**
 * A local Jira for tests: node:http on 127.0.0.1 answering the REST shapes the connector
 * uses — /myself, Cloud's /rest/api/3/search/jql (nextPageToken), Server's /rest/api/2/search
 * (startAt), /issue/{id} and /issue/{id}/changelog (startAt paging), and the Agile API's
 * /rest/agile/1.0/board?projectKeyOrId= and /board/{id}/sprint (startAt / isLast paging) — with Jira's error body
 * `{"errorMessages": [...], "errors": {}}`. It evaluates the JQL the connector writes (a
 * project, an `updated >=` bound read in the account's time zone, `id in (...)`), keeps every
 * request, and can be told to fail the next requests to a path.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { TZDate, tz } from "@date-fns/tz";
import { format } from "date-fns";

export interface FakeHistory {
  id: string;
  /** ISO instant. */
  at: string;
  items: { field: string; from: string | null; to: string | null }[];
}

export interface FakeIssue {
  id: string;
  key: string;
  project: string;
  summary: string;
  type: string;
  labels: string[];
  status: string;
  category: "new" | "indeterminate" | "done";
  resolution: string | null;
  /** ISO instants; written out in the account's zone, as Jira does. */
  created: string;
  updated: string;
  resolved: string | null;
  histories: FakeHistory[];
  /**
   * The issue as a real Jira sent it (a recorded search answer's issue, with its changelog):
   * served instead of the shape built from the fields above, which must agree with it.
   */
  recorded?: RecordedIssue;
}

export interface RecordedIssue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  changelog: { histories: unknown[] };
  [other: string]: unknown;
}

export interface FakeBoard {
  id: number;
  name: string;
  type: "scrum" | "kanban" | "simple";
  /** The project keys its filter includes. */
  projects: string[];
}

export interface FakeSprint {
  id: number;
  boardId: number;
  name: string;
  state: "future" | "active" | "closed";
  /** ISO instants; written out in the account's zone, as Jira does. */
  start?: string;
  end?: string;
  complete?: string;
  goal?: string;
}

export interface Fault {
  /** Requests whose path starts with this fail. */
  path: string;
  /** How many of them. */
  times: number;
  status: number;
  headers?: Record<string, string>;
  /** Sent as is; default a Jira error body. */
  body?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

const CATEGORY_IDS = { new: 2, indeterminate: 4, done: 3 } as const;

export class FakeJira {
  issues: FakeIssue[] = [];
  /** Project keys that exist (an unknown one is a JQL error). */
  projects = new Set<string>();
  timeZone = "Europe/Berlin";
  /** The Authorization header every request must carry. */
  authorization = `Basic ${Buffer.from("bot@acme.example:secret").toString("base64")}`;
  /** Issues per search page, histories embedded per issue, histories per changelog page. */
  pageSize = 2;
  embeddedHistories = 2;
  changelogPageSize = 2;
  boards: FakeBoard[] = [];
  sprints: FakeSprint[] = [];
  /** Boards and sprints per Agile API page. */
  agilePageSize = 2;
  /** Jira without Jira Software: the Agile API answers 404. */
  agile = true;
  requests: RecordedRequest[] = [];
  /** Called for every request before it is answered (e.g. to kill a client mid-sync). */
  onRequest: (request: RecordedRequest) => void = () => {};
  private faults: Fault[] = [];
  private server: Server | undefined;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** The JQL of every search, in order. */
  get jqls(): string[] {
    return this.requests.filter((request) => request.path.includes("/search")).map((request) => request.query.get("jql") ?? "");
  }

  fail(fault: Fault) {
    this.faults.push({ ...fault });
  }

  issue(key: string): FakeIssue {
    const issue = this.issues.find((candidate) => candidate.key === key);
    if (!issue) throw new Error(`no issue ${key}`);
    return issue;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url!, "http://127.0.0.1");
    const recorded = { method: request.method!, path: url.pathname, query: url.searchParams, authorization: request.headers.authorization };
    this.requests.push(recorded);
    this.onRequest(recorded);
    const fault = this.faults.find((candidate) => candidate.times > 0 && url.pathname.startsWith(candidate.path));
    if (fault) {
      fault.times--;
      response.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
      response.end(fault.body ?? JSON.stringify({ errorMessages: [`fault ${fault.status}`], errors: {} }));
      return;
    }
    if (request.headers.authorization !== this.authorization) {
      return send(response, 401, { errorMessages: ["You are not authenticated. Authentication required to perform this operation."], errors: {} });
    }
    const agile = url.pathname.match(/^\/rest\/agile\/1\.0\/board(?:\/([^/]+)\/sprint)?$/);
    if (agile && this.agile) return agile[1] === undefined ? this.boardList(response, url.searchParams) : this.sprintList(response, agile[1], url.searchParams);
    const route = url.pathname.match(/^\/rest\/api\/([23])\/(.*)$/);
    if (!route) return send(response, 404, { errorMessages: ["No such endpoint"], errors: {} });
    const version = Number(route[1]) as 2 | 3;
    const rest = route[2]!;
    try {
      if (rest === "myself") return send(response, 200, this.myself(version));
      if (rest === "search/jql" && version === 3) return send(response, 200, this.tokenSearch(url.searchParams));
      if (rest === "search" && version === 2) return send(response, 200, this.offsetSearch(url.searchParams));
      const changelog = rest.match(/^issue\/([^/]+)\/changelog$/);
      if (changelog && version === 3) return this.changelog(response, changelog[1]!, url.searchParams);
      const issue = rest.match(/^issue\/([^/]+)$/);
      if (issue) return this.getIssue(response, version, issue[1]!, url.searchParams);
      send(response, 404, { errorMessages: ["No such endpoint"], errors: {} });
    } catch (error) {
      if (error instanceof JqlError) return send(response, 400, { errorMessages: [error.message], errors: {} });
      throw error;
    }
  }

  private agilePage<T>(items: T[], query: URLSearchParams) {
    const startAt = Number(query.get("startAt") ?? 0);
    const maxResults = Math.min(this.agilePageSize, Number(query.get("maxResults") ?? 50));
    const values = items.slice(startAt, startAt + maxResults);
    return { maxResults, startAt, isLast: startAt + values.length >= items.length, values };
  }

  private boardList(response: ServerResponse, query: URLSearchParams) {
    const key = query.get("projectKeyOrId");
    if (key !== null && !this.projects.has(key)) return send(response, 400, { errorMessages: [`No project could be found with key '${key}'.`], errors: {} });
    const boards = this.boards.filter((board) => key === null || board.projects.includes(key));
    send(
      response,
      200,
      this.agilePage(
        boards.map((board) => ({
          id: board.id,
          self: `${this.url}/rest/agile/1.0/board/${board.id}`,
          name: board.name,
          type: board.type,
          location: { projectKey: board.projects[0], displayName: `${board.projects[0]} project`, projectTypeKey: "software", name: board.projects[0] },
        })),
        query,
      ),
    );
  }

  private sprintList(response: ServerResponse, id: string, query: URLSearchParams) {
    const board = this.boards.find((candidate) => String(candidate.id) === id);
    if (!board) return send(response, 404, { errorMessages: [`Board does not exist or you do not have permission to see it.`], errors: {} });
    if (board.type === "kanban") return send(response, 400, { errorMessages: ["The board does not support sprints"], errors: {} });
    const sprints = this.sprints.filter((sprint) => sprint.boardId === board.id);
    send(
      response,
      200,
      this.agilePage(
        sprints.map((sprint) => ({
          id: sprint.id,
          self: `${this.url}/rest/agile/1.0/sprint/${sprint.id}`,
          state: sprint.state,
          name: sprint.name,
          ...(sprint.start ? { startDate: this.jiraTime(sprint.start) } : {}),
          ...(sprint.end ? { endDate: this.jiraTime(sprint.end) } : {}),
          ...(sprint.complete ? { completeDate: this.jiraTime(sprint.complete) } : {}),
          originBoardId: sprint.boardId,
          ...(sprint.goal ? { goal: sprint.goal } : {}),
        })),
        query,
      ),
    );
  }

  private myself(version: 2 | 3) {
    return {
      self: `${this.url}/rest/api/${version}/user?accountId=5b10ac8d82e05b22cc7d4ef5`,
      accountId: "5b10ac8d82e05b22cc7d4ef5",
      accountType: "atlassian",
      emailAddress: "bot@acme.example",
      displayName: "Shipshape bot",
      active: true,
      timeZone: this.timeZone,
      locale: "en_US",
      groups: { size: 1, items: [] },
      applicationRoles: { size: 1, items: [] },
      expand: "groups,applicationRoles",
    };
  }

  private tokenSearch(query: URLSearchParams) {
    const matches = this.evaluate(query.get("jql") ?? "");
    const offset = Number(query.get("nextPageToken") ? Buffer.from(query.get("nextPageToken")!, "base64url").toString() : 0);
    const size = Math.min(this.pageSize, Number(query.get("maxResults") ?? 50));
    const page = matches.slice(offset, offset + size);
    const isLast = offset + size >= matches.length;
    return {
      issues: page.map((issue) => this.render(issue, 3, query, this.embeddedHistories)),
      ...(isLast ? {} : { nextPageToken: Buffer.from(String(offset + size)).toString("base64url") }),
      isLast,
    };
  }

  private offsetSearch(query: URLSearchParams) {
    const matches = this.evaluate(query.get("jql") ?? "");
    const startAt = Number(query.get("startAt") ?? 0);
    const maxResults = Math.min(this.pageSize, Number(query.get("maxResults") ?? 50));
    return {
      expand: "schema,names",
      startAt,
      maxResults,
      total: matches.length,
      issues: matches.slice(startAt, startAt + maxResults).map((issue) => this.render(issue, 2, query, this.embeddedHistories)),
    };
  }

  private changelog(response: ServerResponse, idOrKey: string, query: URLSearchParams) {
    const issue = this.find(idOrKey);
    if (!issue) return send(response, 404, notFound());
    const startAt = Number(query.get("startAt") ?? 0);
    const maxResults = Math.min(this.changelogPageSize, Number(query.get("maxResults") ?? 100));
    const values = issue.histories.slice(startAt, startAt + maxResults).map((history) => this.renderHistory(history));
    const isLast = startAt + maxResults >= issue.histories.length;
    send(response, 200, {
      self: `${this.url}/rest/api/3/issue/${issue.id}/changelog?maxResults=${maxResults}&startAt=${startAt}`,
      ...(isLast ? {} : { nextPage: `${this.url}/rest/api/3/issue/${issue.id}/changelog?maxResults=${maxResults}&startAt=${startAt + maxResults}` }),
      maxResults,
      startAt,
      total: issue.histories.length,
      isLast,
      values,
    });
  }

  /** Cloud embeds the first page of the changelog; Server / Data Center the whole of it. */
  private getIssue(response: ServerResponse, version: 2 | 3, idOrKey: string, query: URLSearchParams) {
    const issue = this.find(idOrKey);
    if (!issue) return send(response, 404, notFound());
    send(response, 200, this.render(issue, version, query, version === 2 ? Infinity : this.embeddedHistories));
  }

  private find(idOrKey: string): FakeIssue | undefined {
    return this.issues.find((issue) => issue.id === idOrKey || issue.key === idOrKey);
  }

  /** The issues the connector's JQL selects, in its ORDER BY. */
  private evaluate(jql: string): FakeIssue[] {
    const byIds = jql.match(/^id in \(([\d, ]+)\) ORDER BY key ASC$/);
    if (byIds) {
      const ids = byIds[1]!.split(",").map((id) => id.trim());
      const missing = ids.find((id) => !this.find(id));
      if (missing) throw new JqlError(`An issue with key '${missing}' does not exist for field 'id'.`);
      return this.issues.filter((issue) => ids.includes(issue.id)).sort(byKey);
    }
    const byProject = jql.match(/^project = "([^"]+)"(?: AND updated >= "([^"]+)")? ORDER BY updated ASC, key ASC$/);
    if (!byProject) throw new JqlError(`Error in the JQL Query: the fake does not understand ${jql}`);
    const [, project, bound] = byProject;
    if (!this.projects.has(project!)) throw new JqlError(`The value '${project}' does not exist for the field 'project'.`);
    const from = bound === undefined ? -Infinity : this.wallClock(bound);
    return this.issues
      .filter((issue) => issue.project === project && Date.parse(issue.updated) >= from)
      .sort((a, b) => Date.parse(a.updated) - Date.parse(b.updated) || byKey(a, b));
  }

  /** A JQL date (`yyyy-MM-dd` or `yyyy-MM-dd HH:mm`) read in the account's zone, as Jira does. */
  private wallClock(text: string): number {
    const parts = text.match(/^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?$/);
    if (!parts) throw new JqlError(`Date value '${text}' for field 'updated' is invalid.`);
    const [year, month, day, hour, minute] = parts.slice(1).map((part) => Number(part ?? 0));
    return new TZDate(year!, month! - 1, day!, hour!, minute!, this.timeZone).getTime();
  }

  private render(issue: FakeIssue, version: 2 | 3, query: URLSearchParams, embedded: number) {
    const requested = (query.get("fields") ?? "").split(",").filter(Boolean);
    if (issue.recorded) return this.renderRecorded(issue.recorded, requested, query, embedded);
    const base = `${this.url}/rest/api/${version}`;
    const all: Record<string, unknown> = {
      summary: issue.summary,
      project: { self: `${base}/project/${issue.project}`, id: String(10000 + issue.project.length), key: issue.project, name: issue.project, projectTypeKey: "software" },
      issuetype: { self: `${base}/issuetype/1`, id: "1", description: "", name: issue.type, subtask: false, hierarchyLevel: 0 },
      labels: issue.labels,
      status: {
        self: `${base}/status/1`,
        description: "",
        name: issue.status,
        id: "1",
        statusCategory: { self: `${base}/statuscategory/${CATEGORY_IDS[issue.category]}`, id: CATEGORY_IDS[issue.category], key: issue.category, colorName: "green", name: issue.category },
      },
      resolution: issue.resolution ? { self: `${base}/resolution/1`, id: "1", description: "", name: issue.resolution } : null,
      created: this.jiraTime(issue.created),
      updated: this.jiraTime(issue.updated),
      resolutiondate: issue.resolved ? this.jiraTime(issue.resolved) : null,
    };
    const fields = Object.fromEntries(Object.entries(all).filter(([name]) => requested.length === 0 || requested.includes(name)));
    const withChangelog = (query.get("expand") ?? "").split(",").includes("changelog");
    const histories = issue.histories.slice(0, embedded);
    return {
      expand: "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
      id: issue.id,
      self: `${base}/issue/${issue.id}`,
      key: issue.key,
      fields,
      ...(withChangelog
        ? { changelog: { startAt: 0, maxResults: histories.length, total: issue.histories.length, histories: histories.map((history) => this.renderHistory(history)) } }
        : {}),
    };
  }

  /** A recorded issue as Jira answers it: only the requested fields, the first `embedded` histories. */
  private renderRecorded(recorded: RecordedIssue, requested: string[], query: URLSearchParams, embedded: number) {
    const { changelog, fields, ...issue } = recorded;
    const withChangelog = (query.get("expand") ?? "").split(",").includes("changelog");
    const histories = changelog.histories.slice(0, embedded);
    return {
      ...issue,
      fields: Object.fromEntries(Object.entries(fields).filter(([name]) => requested.length === 0 || requested.includes(name))),
      ...(withChangelog ? { changelog: { startAt: 0, maxResults: histories.length, total: changelog.histories.length, histories } } : {}),
    };
  }

  private renderHistory(history: FakeHistory) {
    return {
      id: history.id,
      author: { accountId: "5b10ac8d82e05b22cc7d4ef5", displayName: "Ann", active: true },
      created: this.jiraTime(history.at),
      items: history.items.map((item) => ({ field: item.field, fieldtype: "jira", fieldId: item.field, from: item.from && "1", fromString: item.from, to: item.to && "3", toString: item.to })),
    };
  }

  /** `2026-11-20T14:05:33.000+0100`: Jira's format, in the account's zone. */
  private jiraTime(iso: string): string {
    return format(new Date(iso), "yyyy-MM-dd'T'HH:mm:ss.SSSxx", { in: tz(this.timeZone) });
  }
}

class JqlError extends Error {}

function byKey(a: FakeIssue, b: FakeIssue): number {
  return a.key.localeCompare(b.key, "en", { numeric: true });
}

function notFound() {
  return { errorMessages: ["Issue does not exist or you do not have permission to see it."], errors: {} };
}

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json;charset=UTF-8" });
  response.end(JSON.stringify(body));
}
