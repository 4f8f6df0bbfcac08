import { expect, it } from "vitest";
import { toSprint } from "@/connectors/jira/records";
import { sprints } from "@/db/schema";
import { upsertRecords } from "@/db/upsert";
import { chooseSprint, projectSprints } from "@/lib/report/sprints";
import { describeEachDriver } from "@/test/support/db";

const board = { id: 7, name: "FRD board" };
const other = { id: 8, name: "FRD platform" };
const project = { jira: { projects: ["FRD"] }, timezone: "Europe/Berlin" };

describeEachDriver("the retro's sprints", (store) => {
  it("offers the started sprints of the project's boards, newest first, once each, as dates in the project's zone", async () => {
    await upsertRecords(store(), sprints, [
      // Completed 23:30 UTC on the 20th: the 21st in Berlin (UTC+1).
      toSprint("FRD", board, { id: 32, name: "FRD Sprint 32", state: "closed", startDate: "2026-11-09T09:00:00.000+0100", endDate: "2026-11-20T18:00:00.000+0100", completeDate: "2026-11-21T00:30:00.000+0100" }),
      toSprint("FRD", board, { id: 33, name: "FRD Sprint 33", state: "active", startDate: "2026-11-23T09:00:00.000+0100", endDate: "2026-12-04T18:00:00.000+0100" }),
      toSprint("FRD", board, { id: 34, name: "FRD Sprint 34", state: "future" }),
      // The same sprint on a second board of the project: offered once.
      toSprint("FRD", other, { id: 32, name: "FRD Sprint 32", state: "closed", startDate: "2026-11-09T09:00:00.000+0100", endDate: "2026-11-20T18:00:00.000+0100", completeDate: "2026-11-21T00:30:00.000+0100" }),
      // Another project's sprint.
      toSprint("OPS", { id: 9, name: "OPS board" }, { id: 90, name: "OPS Sprint 1", state: "closed", startDate: "2026-11-02T09:00:00.000+0100", endDate: "2026-11-13T18:00:00.000+0100", completeDate: "2026-11-13T17:00:00.000+0100" }),
    ]);
    const choices = await projectSprints(store(), project);
    expect(choices).toEqual([
      { id: 33, name: "FRD Sprint 33", state: "active", board: "FRD board", from: "2026-11-23", to: "2026-12-04", completed: false },
      { id: 32, name: "FRD Sprint 32", state: "closed", board: "FRD board", from: "2026-11-09", to: "2026-11-21", completed: true },
    ]);
    // In New York the same instants are other days: the complete date is still the 20th there.
    expect((await projectSprints(store(), { ...project, timezone: "America/New_York" }))[1]).toMatchObject({ from: "2026-11-09", to: "2026-11-20" });
    expect(await projectSprints(store(), { timezone: "UTC" })).toEqual([]);

    expect(chooseSprint(choices, "32")).toEqual({ sprint: choices[1], error: null });
    expect(chooseSprint(choices, undefined)).toEqual({ sprint: null, error: null });
    expect(chooseSprint(choices, "34")).toEqual({ sprint: null, error: "sprint 34 is not a started sprint of this project's Jira boards; choose one from the list" });
    expect(chooseSprint(choices, "32abc")).toEqual({ sprint: null, error: '"32abc" is not a sprint id; choose one from the list' });
  });
});
