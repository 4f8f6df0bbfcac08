import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Store } from "@/db/client";
import { streamStates, syncRuns, workItems, workItemTransitions } from "@/db/schema";
import type { Config } from "@/lib/config/load";
import { jiraSource } from "@/connectors/jira/source";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import { describeEachDriver } from "@/test/support/db";
import { FakeJira } from "@/test/support/jira-server";
import { jiraConfig, seed } from "./fixtures";

let jira: FakeJira;
beforeEach(async () => {
  jira = await new FakeJira().start();
  seed(jira);
});
afterEach(() => jira.close());

const sync = (store: Store, config: Config, options: { retries?: number } = {}) =>
  runSync("jira", sourceSync("jira", jiraSource({ backoffMs: 5, retries: options.retries ?? 2 })), { config, store, trigger: "manual", log: () => {} });

const items = (store: Store) =>
  store.db
    .select({
      id: workItems.externalId,
      container: workItems.container,
      key: workItems.key,
      title: workItems.title,
      url: workItems.url,
      type: workItems.issueType,
      labels: workItems.labels,
      status: workItems.status,
      category: workItems.statusCategory,
      resolution: workItems.resolution,
      created: workItems.createdAt,
      resolved: workItems.resolvedAt,
      updated: workItems.updatedAt,
    })
    .from(workItems)
    .orderBy(asc(workItems.externalId));

const transitions = (store: Store, issueId: string) =>
  store.db
    .select({ id: workItemTransitions.externalId, field: workItemTransitions.field, from: workItemTransitions.fromValue, to: workItemTransitions.toValue, at: workItemTransitions.changedAt })
    .from(workItemTransitions)
    .where(eq(workItemTransitions.itemExternalId, issueId))
    .orderBy(asc(workItemTransitions.changedAt), asc(workItemTransitions.externalId));

const cursors = async (store: Store) =>
  Object.fromEntries((await store.db.select().from(streamStates).orderBy(asc(streamStates.stream))).map((row) => [row.stream, row.cursor]));

/** Instants as both drivers return them (timestamptz in UTC, "+00"). */
const at = (iso: string) => iso.replace("T", " ").replace(/\.000Z$/, "+00");

describeEachDriver("Jira sync", (store) => {
  it("stores the configured types and labels of every project with their whole changelog, and records the run", async () => {
    const result = await sync(store(), jiraConfig(jira.url));

    expect(result.errors).toEqual([]);
    expect(result.status).toBe("succeeded");
    expect((await items(store())).map((item) => [item.id, item.key, item.type, item.labels])).toEqual([
      ["10001", "FRD-1", "Bug", []],
      ["10002", "FRD-2", "Story", []],
      ["10003", "FRD-3", "Task", ["data-quality"]],
      ["10005", "FRD-5", "Bug", []],
      ["20001", "OPS-1", "Incident", []],
      ["20002", "OPS-2", "Access Request", []],
    ]);
    const [bug] = await items(store());
    expect(bug).toEqual({
      id: "10001",
      container: "FRD",
      key: "FRD-1",
      title: "Summary of FRD-1",
      url: `${jira.url}/browse/FRD-1`,
      type: "Bug",
      labels: [],
      status: "Done",
      category: "done",
      resolution: "Done",
      created: at("2026-11-02T09:00:00.000Z"),
      resolved: at("2026-11-20T13:05:00.000Z"),
      updated: at("2026-11-20T13:05:00.000Z"),
    });
    // OPS is in both projects' config: read once.
    expect(jira.jqls).toEqual([
      'project = "FRD" ORDER BY updated ASC, key ASC',
      'project = "FRD" ORDER BY updated ASC, key ASC',
      'project = "FRD" ORDER BY updated ASC, key ASC',
      'project = "FRD" ORDER BY updated ASC, key ASC',
      'project = "FRD" ORDER BY updated ASC, key ASC',
      'project = "FRD" ORDER BY updated ASC, key ASC',
      'project = "OPS" ORDER BY updated ASC, key ASC',
      'project = "OPS" ORDER BY updated ASC, key ASC',
    ]);
    // 5 FRD issues in pages of 2 (3 pages), then the reconcile scan (3 pages); OPS 1 + 1.
    // FRD-1's changelog: 5 histories, 2 embedded, read again in pages of 2 (3 requests).
    // Plus /myself, and each project's board list (neither has a board here; test/jira/sprints.test.ts
    // reads boards and sprints): 1 + 6 + 3 + 2 + 2 = 14.
    expect(result.requests).toBe(14);
    expect(jira.requests.filter((request) => request.path === "/rest/api/3/issue/10001/changelog").map((request) => request.query.get("startAt"))).toEqual(["0", "2", "4"]);
    // FRD: 4 issues, transitions 7 (FRD-1) + 1 (FRD-2) + 2 (FRD-5); OPS: 2 issues.
    expect(result.records).toEqual({ "FRD:issues": 4, "FRD:transitions": 10, "OPS:issues": 2 });
    const [run] = await store().db.select().from(syncRuns);
    expect(run).toMatchObject({ source: "jira", status: "succeeded", records: result.records, requests: 14, error: null });
    // The cursor is the newest update seen, FRD-4's, though FRD-4 (a plain task) is not kept.
    expect(await cursors(store())).toEqual({
      "FRD:boards": { boards: [] },
      "FRD:issues": { updated: "2026-11-20T13:07:45.000Z" },
      "OPS:boards": { boards: [] },
      "OPS:issues": { updated: "2026-11-20T01:30:00.000Z" },
    });
  });

  it("keeps a reopened issue's transitions and its final resolution date, and a Won't Do resolution as data", async () => {
    await sync(store(), jiraConfig(jira.url));

    expect(await transitions(store(), "10001")).toEqual([
      { id: "100:0", field: "status", from: "To Do", to: "In Progress", at: at("2026-11-03T10:00:00.000Z") },
      { id: "101:0", field: "status", from: "In Progress", to: "Done", at: at("2026-11-04T10:00:00.000Z") },
      { id: "101:1", field: "resolution", from: null, to: "Done", at: at("2026-11-04T10:00:00.000Z") },
      { id: "102:0", field: "status", from: "Done", to: "Reopened", at: at("2026-11-10T10:00:00.000Z") },
      { id: "102:1", field: "resolution", from: "Done", to: null, at: at("2026-11-10T10:00:00.000Z") },
      { id: "104:0", field: "resolution", from: null, to: "Done", at: at("2026-11-20T13:05:00.000Z") },
      { id: "104:1", field: "status", from: "Reopened", to: "Done", at: at("2026-11-20T13:05:00.000Z") },
    ]);
    const wontDo = (await items(store())).find((item) => item.key === "FRD-5");
    expect(wontDo).toMatchObject({ status: "Closed", category: "done", resolution: "Won't Do", resolved: at("2026-11-15T12:00:00.000Z") });
  });

  it("reads from the cursor minus the overlap, written in the Jira account's zone (Europe/Berlin), and is idempotent", async () => {
    await sync(store(), jiraConfig(jira.url, { keys: ["FRD"] }));
    // Indexed late: updated before the cursor (13:07:45Z), inside the 10-minute overlap.
    jira.issues.push({ ...jira.issue("FRD-5"), id: "10006", key: "FRD-6", resolution: null, updated: "2026-11-20T13:01:00.000Z", histories: [] });
    jira.requests = [];

    const second = await sync(store(), jiraConfig(jira.url, { keys: ["FRD"] }));

    // 13:07:45Z − 10 min = 12:57:45Z = 13:57:45 in Berlin (UTC+1 in November), down to the minute.
    // Then each project's reconcile scan. OPS: 01:30Z − 10 min = 02:20 in Berlin.
    expect([...new Set(jira.jqls)]).toEqual([
      'project = "FRD" AND updated >= "2026-11-20 13:57" ORDER BY updated ASC, key ASC',
      'project = "FRD" ORDER BY updated ASC, key ASC',
      'project = "OPS" AND updated >= "2026-11-20 02:20" ORDER BY updated ASC, key ASC',
      'project = "OPS" ORDER BY updated ASC, key ASC',
    ]);
    // FRD-6 is new; FRD-1 and FRD-4 are re-read but unchanged, so not rewritten.
    expect(second.records).toEqual({ "FRD:issues": 1 });
    expect((await items(store())).map((item) => item.key)).toContain("FRD-6");

    jira.requests = [];
    const third = await sync(store(), jiraConfig(jira.url, { keys: ["FRD"] }));
    expect(third.records).toEqual({});
    expect(jira.jqls[0]).toBe('project = "FRD" AND updated >= "2026-11-20 13:57" ORDER BY updated ASC, key ASC');
  });

  it("writes the JQL bound in a zone west of UTC too, so nothing is skipped (America/Los_Angeles)", async () => {
    jira.timeZone = "America/Los_Angeles";
    await sync(store(), jiraConfig(jira.url, { keys: ["FRD"] }));
    jira.issues.push({ ...jira.issue("FRD-5"), id: "10006", key: "FRD-6", updated: "2026-11-20T13:01:00.000Z", histories: [] });
    jira.requests = [];

    await sync(store(), jiraConfig(jira.url, { keys: ["FRD"] }));

    // 12:57:45Z is 04:57:45 in Los Angeles (UTC−8). Written as UTC ("12:57") it would mean 20:57Z and miss FRD-6.
    expect(jira.jqls[0]).toBe('project = "FRD" AND updated >= "2026-11-20 04:57" ORDER BY updated ASC, key ASC');
    expect((await items(store())).map((item) => item.key)).toContain("FRD-6");
  });

  it("limits the first sync to sources.jira.since, in the account's zone", async () => {
    await sync(store(), jiraConfig(jira.url, { keys: ["FRD"], extra: "since: 2026-11-15" }));

    expect(jira.jqls[0]).toBe('project = "FRD" AND updated >= "2026-11-15" ORDER BY updated ASC, key ASC');
    // Updated from 15 Nov 00:00 Berlin (14 Nov 23:00Z) on: all of the seeded FRD issues.
    expect((await items(store())).filter((item) => item.container === "FRD").map((item) => item.key)).toEqual(["FRD-1", "FRD-2", "FRD-3", "FRD-5"]);

    // The reconcile scan reads the whole project, but fetches no issue last updated before `since`:
    // 23:59 on the 14th in Berlin.
    jira.issue("FRD-3").updated = "2026-11-14T22:59:00.000Z";
    await store().db.delete(workItems).where(eq(workItems.key, "FRD-3"));
    await sync(store(), jiraConfig(jira.url, { keys: ["FRD"], extra: "since: 2026-11-15" }));
    expect((await items(store())).map((item) => item.key)).not.toContain("FRD-3");
  });

  it("updates an issue moved to another project in place: same id, new key and project", async () => {
    await sync(store(), jiraConfig(jira.url));
    Object.assign(jira.issue("FRD-2"), { key: "OPS-3", project: "OPS", updated: "2026-11-21T09:00:00.000Z" });

    await sync(store(), jiraConfig(jira.url));

    const moved = (await items(store())).filter((item) => item.id === "10002");
    expect(moved).toEqual([expect.objectContaining({ container: "OPS", key: "OPS-3", url: `${jira.url}/browse/OPS-3`, updated: at("2026-11-21T09:00:00.000Z") })]);
    expect(await transitions(store(), "10002")).toHaveLength(1);
  });

  it("follows an issue moved to a project Shipshape does not read, by its id", async () => {
    await sync(store(), jiraConfig(jira.url));
    Object.assign(jira.issue("FRD-2"), { key: "MOB-9", project: "MOB", updated: "2026-11-21T09:00:00.000Z" });

    await sync(store(), jiraConfig(jira.url));

    expect((await items(store())).find((item) => item.id === "10002")).toMatchObject({ container: "MOB", key: "MOB-9" });
    expect(jira.requests.some((request) => request.path === "/rest/api/3/issue/10002")).toBe(true);
  });

  it("sees an issue type renamed in Jira, which changes no issue's `updated`", async () => {
    jira.issues.push({ ...jira.issue("FRD-3"), id: "10007", key: "FRD-7", type: "Problem", labels: [] });
    await sync(store(), jiraConfig(jira.url, { keys: ["FRD"] }));
    expect((await items(store())).map((item) => item.key)).not.toContain("FRD-7");

    for (const issue of jira.issues) {
      if (issue.type === "Bug") issue.type = "Defect";
      if (issue.type === "Problem") issue.type = "Bug";
    }
    const result = await sync(store(), jiraConfig(jira.url, { keys: ["FRD"] }));

    const types = Object.fromEntries((await items(store())).map((item) => [item.key, item.type]));
    // Kept current though "Defect" is no configured type: the report decides what counts.
    expect(types).toMatchObject({ "FRD-1": "Defect", "FRD-5": "Defect", "FRD-7": "Bug" });
    expect(result.records).toEqual({ "FRD:issues": 3 });
  });

  it("fetches the issues a configuration change makes relevant, however old their update", async () => {
    jira.issues.push({ ...jira.issue("FRD-3"), id: "10009", key: "FRD-9", type: "Epic", labels: [], updated: "2026-11-01T08:00:00.000Z" });
    await sync(store(), jiraConfig(jira.url, { keys: ["FRD"] }));
    expect((await items(store())).map((item) => item.key)).not.toContain("FRD-9");

    // FRD-9 was last updated weeks before the cursor: only the reconcile pass can find it.
    const result = await sync(store(), jiraConfig(jira.url, { keys: ["FRD"], extra: "issue_types: { bug: [Bug, Epic] }" }));

    expect((await items(store())).map((item) => item.key)).toContain("FRD-9");
    expect(result.records).toEqual({ "FRD:issues": 1 });
  });

  it("removes an issue deleted in Jira, with its transitions", async () => {
    await sync(store(), jiraConfig(jira.url));
    jira.issues = jira.issues.filter((issue) => issue.key !== "FRD-1");

    const result = await sync(store(), jiraConfig(jira.url));

    expect((await items(store())).map((item) => item.key)).not.toContain("FRD-1");
    expect(await transitions(store(), "10001")).toEqual([]);
    expect(result.records).toEqual({ "FRD:removed": 1 });
    // Confirmed by id (404) before removing.
    expect(jira.requests.filter((request) => request.path === "/rest/api/3/issue/10001")).toHaveLength(1);
  });

  it("waits out a 429's Retry-After and backs off on 5xx", async () => {
    jira.fail({ path: "/rest/api/3/search/jql", times: 1, status: 429, headers: { "retry-after": "1" } });
    jira.fail({ path: "/rest/api/3/issue/10001/changelog", times: 2, status: 503 });
    const started = Date.now();

    const result = await sync(store(), jiraConfig(jira.url));

    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(result.status).toBe("succeeded");
    expect(result.requests).toBe(14 + 3);
    expect(await store().db.select().from(workItems)).toHaveLength(6);
  });

  it("reports a project whose requests keep failing and goes on with the others", async () => {
    await sync(store(), jiraConfig(jira.url));
    jira.fail({ path: "/rest/api/3/search/jql", times: 3, status: 502 });
    jira.issue("OPS-2").updated = "2026-11-21T10:00:00.000Z";

    const result = await sync(store(), jiraConfig(jira.url));

    expect(result.status).toBe("partial");
    expect(result.errors).toEqual(["FRD: GET /rest/api/3/search/jql: Jira answered 502 (fault 502) after 3 attempts"]);
    expect(result.records).toEqual({ "OPS:issues": 1 });
    const [, run] = await store().db.select().from(syncRuns).orderBy(asc(syncRuns.id));
    expect(run).toMatchObject({ status: "partial", error: "FRD: GET /rest/api/3/search/jql: Jira answered 502 (fault 502) after 3 attempts" });
    expect((await cursors(store()))["FRD:issues"]).toEqual({ updated: "2026-11-20T13:07:45.000Z" });
  });

  it("stops with a clear error when Jira refuses the credentials", async () => {
    jira.authorization = "Basic something-else";

    const result = await sync(store(), jiraConfig(jira.url));

    expect(result.status).toBe("failed");
    expect(result.errors).toEqual([
      "GET /rest/api/3/myself: Jira refused the credentials (401: You are not authenticated. Authentication required to perform this operation.); " +
        "check sources.jira.email and sources.jira.token (an API token for Jira Cloud, a personal access token without email for Server / Data Center)",
    ]);
    expect(jira.requests).toHaveLength(1);
  });

  it("stops on a 403 as on a 401, without retrying", async () => {
    jira.fail({ path: "/rest/api/3/myself", times: 1, status: 403 });

    const result = await sync(store(), jiraConfig(jira.url));

    expect(result.status).toBe("failed");
    expect(result.errors[0]).toMatch(/^GET \/rest\/api\/3\/myself: Jira refused the credentials \(403: fault 403\); check sources\.jira\.email/);
    expect(jira.requests).toHaveLength(1);
  });

  it("says when Jira cannot be reached at all, after retrying", async () => {
    const url = jira.url;
    await jira.close();

    const result = await sync(store(), jiraConfig(url), { retries: 1 });

    expect(result.status).toBe("failed");
    expect(result.errors).toEqual([`GET /rest/api/3/myself: cannot reach Jira at ${url} (connect ECONNREFUSED ${url.replace("http://", "")})`]);
  });

  it("reports an unknown project key for that project and syncs the others", async () => {
    const result = await sync(store(), jiraConfig(jira.url, { keys: ["FRD", "NOPE"] }));

    expect(result.status).toBe("partial");
    expect(result.errors).toEqual(["NOPE: Jira rejected the query: The value 'NOPE' does not exist for the field 'project'."]);
    expect(result.parts).toBe(3);
    expect(new Set((await items(store())).map((item) => item.container))).toEqual(new Set(["FRD", "OPS"]));
  });

  it("reports malformed JSON and keeps what was stored", async () => {
    await sync(store(), jiraConfig(jira.url));
    jira.issue("FRD-2").updated = "2026-11-21T09:00:00.000Z";
    jira.fail({ path: "/rest/api/3/search/jql", times: 1, status: 200, body: '{"issues": [{"id": "10002", "key"' });

    const result = await sync(store(), jiraConfig(jira.url));

    expect(result.errors).toEqual(["FRD: GET /rest/api/3/search/jql: Jira's answer is not valid JSON (Unexpected end of JSON input)"]);
    // Not retried: /myself, the broken FRD page, OPS's search, scan and board list.
    expect(result.requests).toBe(5);
    expect(await store().db.select().from(workItems)).toHaveLength(6);
    expect((await cursors(store()))["FRD:issues"]).toEqual({ updated: "2026-11-20T13:07:45.000Z" });
  });

  it("reports a payload of the wrong shape with where it is wrong", async () => {
    jira.fail({ path: "/rest/api/3/search/jql", times: 1, status: 200, body: JSON.stringify({ issues: [{ id: "10001", key: "FRD-1", fields: {} }] }) });

    const result = await sync(store(), jiraConfig(jira.url, { keys: ["FRD"] }));

    expect(result.errors[0]).toMatch(/^FRD: GET \/rest\/api\/3\/search\/jql: Jira's answer is not what its API documents at issues\.0\.fields\.project: /);
  });

  it("reads Server / Data Center through /rest/api/2/search with startAt paging and a personal access token", async () => {
    jira.authorization = "Bearer pat-123";
    const config = jiraConfig(jira.url, { keys: ["FRD"], extra: "api_version: 2" });
    config.sources.jira = { ...config.sources.jira!, email: undefined, token: "pat-123" };

    const result = await sync(store(), config);

    expect(result.errors).toEqual([]);
    expect((await items(store())).map((item) => item.key)).toEqual(["FRD-1", "FRD-2", "FRD-3", "FRD-5", "OPS-1", "OPS-2"]);
    expect(jira.requests.filter((request) => request.path === "/rest/api/2/search").map((request) => request.query.get("startAt"))).toEqual(
      ["0", "2", "4", "0", "2", "4", "0", "0"],
    );
    // Server has no paged changelog: FRD-1's comes whole with the issue.
    expect(jira.requests.filter((request) => request.path === "/rest/api/2/issue/10001").map((request) => request.query.get("expand"))).toEqual(["changelog"]);
    expect(await transitions(store(), "10001")).toHaveLength(7);
  });
});
