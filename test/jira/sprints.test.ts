import { asc } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Store } from "@/db/client";
import { sprints, streamStates, workItems } from "@/db/schema";
import type { Config } from "@/lib/config/load";
import { jiraSource } from "@/connectors/jira/source";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import { describeEachDriver } from "@/test/support/db";
import { FakeJira } from "@/test/support/jira-server";
import { jiraConfig, seed, seedBoards } from "./fixtures";

let jira: FakeJira;
beforeEach(async () => {
  jira = await new FakeJira().start();
  seed(jira);
  seedBoards(jira);
});
afterEach(() => jira.close());

const sync = (store: Store, config: Config) =>
  runSync("jira", sourceSync("jira", jiraSource({ backoffMs: 5, retries: 1 })), { config, store, trigger: "manual", log: () => {} });

const stored = (store: Store) =>
  store.db
    .select({
      id: sprints.externalId,
      container: sprints.container,
      board: sprints.boardName,
      name: sprints.name,
      state: sprints.state,
      started: sprints.startedAt,
      ends: sprints.endsAt,
      completed: sprints.completedAt,
    })
    .from(sprints)
    .orderBy(asc(sprints.externalId));

/** Instants as both drivers return them (timestamptz in UTC, "+00"). */
const at = (iso: string) => iso.replace("T", " ").replace(/\.000Z$/, "+00");
const agileRequests = () => jira.requests.filter((request) => request.path.startsWith("/rest/agile/")).map((request) => `${request.path}?startAt=${request.query.get("startAt")}`);

describeEachDriver("Jira boards and sprints", (store) => {
  it("stores every sprint of the project's scrum boards, paged, with its dates and the raw payload, after the issues", async () => {
    const result = await sync(store(), jiraConfig(jira.url));

    expect(result.errors).toEqual([]);
    expect(await stored(store())).toEqual([
      { id: "7:31", container: "FRD", board: "FRD board", name: "FRD Sprint 31", state: "closed", started: at("2026-10-26T08:00:00.000Z"), ends: at("2026-11-06T17:00:00.000Z"), completed: at("2026-11-06T15:30:00.000Z") },
      { id: "7:32", container: "FRD", board: "FRD board", name: "FRD Sprint 32", state: "closed", started: at("2026-11-09T08:00:00.000Z"), ends: at("2026-11-20T17:00:00.000Z"), completed: at("2026-11-21T09:00:00.000Z") },
      { id: "7:33", container: "FRD", board: "FRD board", name: "FRD Sprint 33", state: "active", started: at("2026-11-23T08:00:00.000Z"), ends: at("2026-12-04T17:00:00.000Z"), completed: null },
      { id: "7:34", container: "FRD", board: "FRD board", name: "FRD Sprint 34", state: "future", started: null, ends: null, completed: null },
    ]);
    // Boards in pages of 2 (FRD has two), sprints in pages of 2 (board 7 has four); no sprint request to the
    // kanban board; OPS's board answers one empty page.
    expect(agileRequests()).toEqual([
      "/rest/agile/1.0/board?startAt=0",
      "/rest/agile/1.0/board/7/sprint?startAt=0",
      "/rest/agile/1.0/board/7/sprint?startAt=2",
      "/rest/agile/1.0/board?startAt=0",
      "/rest/agile/1.0/board/9/sprint?startAt=0",
    ]);
    expect(jira.requests.find((request) => request.path === "/rest/agile/1.0/board")!.query.get("projectKeyOrId")).toBe("FRD");
    expect(result.records).toMatchObject({ "FRD:sprints": 4 });
    expect(result.records["OPS:sprints"]).toBeUndefined();
    // The sprint as Jira sent it, with its goal and its dates in the account's zone (Berlin).
    const [active] = await store().db.select({ raw: sprints.raw }).from(sprints).orderBy(asc(sprints.externalId)).offset(2).limit(1);
    expect(active!.raw).toMatchObject({ id: 33, name: "FRD Sprint 33", state: "active", startDate: "2026-11-23T09:00:00.000+0100", goal: "Ship the new scorer", originBoardId: 7 });
    // The boards stream's state is the list the sprints stream read.
    const states = Object.fromEntries((await store().db.select().from(streamStates)).map((row) => [row.stream, row.cursor]));
    expect(states["FRD:boards"]).toEqual({
      boards: [
        { id: 7, name: "FRD board", type: "scrum" },
        { id: 8, name: "FRD flow", type: "kanban" },
      ],
    });
    expect(states["OPS:boards"]).toEqual({ boards: [{ id: 9, name: "OPS board", type: "scrum" }] });

    // A second run reads them whole again: a renamed sprint is updated, a deleted one goes, unchanged ones count nothing.
    jira.sprints = jira.sprints.filter((sprint) => sprint.id !== 34).map((sprint) => (sprint.id === 33 ? { ...sprint, name: "FRD Sprint 33 (scorer)" } : sprint));
    const second = await sync(store(), jiraConfig(jira.url));
    expect(second.errors).toEqual([]);
    expect(second.records["FRD:sprints"]).toBe(1);
    expect((await stored(store())).map((sprint) => [sprint.id, sprint.name])).toEqual([
      ["7:31", "FRD Sprint 31"],
      ["7:32", "FRD Sprint 32"],
      ["7:33", "FRD Sprint 33 (scorer)"],
    ]);
  });

  it("skips a board Jira answers 404 for, keeps the other boards' sprints, and drops a board that is gone", async () => {
    jira.boards.push({ id: 12, name: "FRD old", type: "scrum", projects: ["FRD"] });
    jira.fail({ path: "/rest/agile/1.0/board/12/sprint", times: 1, status: 404, body: JSON.stringify({ errorMessages: ["Board does not exist or you do not have permission to see it."], errors: {} }) });
    const result = await sync(store(), jiraConfig(jira.url, { keys: ["FRD"] }));
    expect(result.errors).toEqual([]);
    expect((await stored(store())).map((sprint) => sprint.id)).toEqual(["7:31", "7:32", "7:33", "7:34"]);

    // Board 7 deleted in Jira: its sprints go at the next run.
    jira.boards = jira.boards.filter((board) => board.id !== 7);
    await sync(store(), jiraConfig(jira.url, { keys: ["FRD"] }));
    expect(await stored(store())).toEqual([]);
  });

  it("stores nothing and fails nothing for a project without boards, or a Jira without the Agile API", async () => {
    jira.boards = [];
    expect((await sync(store(), jiraConfig(jira.url))).errors).toEqual([]);
    jira.agile = false;
    const withoutAgile = await sync(store(), jiraConfig(jira.url));
    expect(withoutAgile.errors).toEqual([]);
    expect(withoutAgile.status).toBe("succeeded");
    expect(await stored(store())).toEqual([]);
  });

  it("fails the project in one line on a malformed sprint page, and keeps its issues and the other project's sprints", async () => {
    jira.sprints.push({ id: 90, boardId: 9, name: "OPS Sprint 1", state: "closed", start: "2026-11-02T08:00:00.000Z", end: "2026-11-13T17:00:00.000Z", complete: "2026-11-13T16:00:00.000Z" });
    jira.fail({ path: "/rest/agile/1.0/board/7/sprint", times: 1, status: 200, body: JSON.stringify({ startAt: 0, maxResults: 2, isLast: true, values: [{ id: "31", name: "FRD Sprint 31", state: "closed" }] }) });
    const result = await sync(store(), jiraConfig(jira.url));

    expect(result.errors).toEqual([
      "FRD: GET /rest/agile/1.0/board/7/sprint: Jira's answer is not what its API documents at values.0.id: Invalid input: expected number, received string",
    ]);
    expect((await store().db.select({ key: workItems.key }).from(workItems).orderBy(asc(workItems.key))).map((row) => row.key)).toEqual([
      "FRD-1",
      "FRD-2",
      "FRD-3",
      "FRD-5",
      "OPS-1",
      "OPS-2",
    ]);
    expect((await stored(store())).map((sprint) => sprint.id)).toEqual(["9:90"]);
  });
});
