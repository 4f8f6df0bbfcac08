/**
 * Notes and the events marked from the stored records (lib/annotations/), on both databases:
 * adding, listing a window, idempotence, one-line refusals, and what each mark says.
 */
import { expect, it } from "vitest";
import { addNote, listNotes, projectAnnotations } from "@/lib/annotations/store";
import { modelLabel, releaseLabel, targetLabel } from "@/lib/annotations/events";
import { marksChart } from "@/lib/annotations/marks";
import { UserError } from "@/lib/errors/user-error";
import { removeTarget, setTarget } from "@/lib/targets/store";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";
import { insertDeployments, insertReleases } from "@/test/support/records";

const config = testConfig();
const note = (fields: Partial<Parameters<typeof addNote>[2]> = {}) => ({ project: "fraud", at: "2026-10-12", text: "moved to the new cluster", createdBy: "ed@example.com", ...fields });

describeEachDriver("annotations", (store) => {
  it("adds a note with who and when, and the exact same note again stores nothing", async () => {
    const first = await addNote(store(), config, note({ kpi: "lead_time_for_changes" }));
    expect(first.created).toBe(true);
    expect(first.annotation).toEqual({
      kind: "note",
      at: "2026-10-12",
      text: "moved to the new cluster",
      project: "fraud",
      kpi: "lead_time_for_changes",
      id: 1,
      created_by: "ed@example.com",
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      url: null,
    });
    // The same note, also with its text spaced differently, and from someone else: the stored one.
    const again = await addNote(store(), config, note({ kpi: "lead_time_for_changes", text: "  moved to the   new cluster ", createdBy: "cli" }));
    expect(again).toEqual({ annotation: first.annotation, created: false });
    // Another KPI, the whole project, another day: three more notes.
    await addNote(store(), config, note({ kpi: "change_failure_rate" }));
    await addNote(store(), config, note({ kpi: null }));
    await addNote(store(), config, note({ at: "2026-10-13" }));
    const notes = await listNotes(store(), "fraud", "2026-10-01", "2026-10-31");
    expect(notes.map((n) => [n.id, n.at, n.kpi])).toEqual([
      [1, "2026-10-12", "lead_time_for_changes"],
      [3, "2026-10-12", "change_failure_rate"],
      [4, "2026-10-12", null],
      [5, "2026-10-13", null],
    ]);
  });

  it("lists the notes of a window, both days included, and only the project's", async () => {
    for (const at of ["2026-09-30", "2026-10-01", "2026-10-31", "2026-11-01"]) await addNote(store(), config, note({ at, text: `on ${at}` }));
    await addNote(store(), config, note({ project: "churn", at: "2026-10-15", text: "churn's" }));
    const list = await projectAnnotations(store(), config, { project: "fraud", from: "2026-10-01", to: "2026-10-31" });
    expect(list).toMatchObject({ project: "fraud", from: "2026-10-01", to: "2026-10-31", timezone: "UTC" });
    expect(list.annotations.map((a) => a.text)).toEqual(["on 2026-10-01", "on 2026-10-31"]);
    // Without from: the 26 weeks (182 days) up to `to`; without to: up to today in the project's zone.
    const defaults = await projectAnnotations(store(), config, { project: "fraud", now: new Date("2026-11-01T12:00:00Z") });
    expect([defaults.from, defaults.to]).toEqual(["2026-05-04", "2026-11-01"]);
    expect(defaults.annotations.map((a) => a.text)).toEqual(["on 2026-09-30", "on 2026-10-01", "on 2026-10-31", "on 2026-11-01"]);
  });

  it("refuses with one line: an unknown project (not_found), a bad date, an unknown KPI, an empty or too long text (invalid)", async () => {
    const refusal = async (request: ReturnType<typeof note>) => {
      const error = await addNote(store(), config, request).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      return [(error as UserError).kind, (error as UserError).message];
    };
    expect(await refusal(note({ project: "nope" }))).toEqual(["not_found", 'unknown project "nope" (projects: fraud, churn)']);
    expect(await refusal(note({ at: "12/10/2026" }))).toEqual(["invalid", "at: must be a date YYYY-MM-DD"]);
    expect(await refusal(note({ at: "2026-02-30" }))).toEqual(["invalid", "at: must be a date YYYY-MM-DD"]);
    expect(await refusal(note({ kpi: "velocity" }))).toEqual(["invalid", expect.stringMatching(/^unknown KPI "velocity" \(one of deployment_frequency, /)]);
    expect(await refusal(note({ text: "   " }))).toEqual(["invalid", "text: must not be empty"]);
    expect(await refusal(note({ text: "x".repeat(281) }))).toEqual(["invalid", "text: must be at most 280 characters"]);
    expect((await addNote(store(), config, note({ text: "x".repeat(280) }))).created).toBe(true);
    await expect(projectAnnotations(store(), config, { project: "fraud", from: "2026-10-31", to: "2026-10-01" })).rejects.toThrow("from (2026-10-31) is after to (2026-10-01)");
    await expect(projectAnnotations(store(), config, { project: "fraud", from: "2026-1-1" })).rejects.toThrow("from: must be a date YYYY-MM-DD");
  });

  it("marks target changes, releases and model versions reaching production from their records, merged with the notes by day", async () => {
    // Project-level target changes of the window; a dimension's target and one before the window are not marked.
    await setTarget(store(), config, { project: "fraud", kpi: "deployment_frequency", value: 2, setBy: "ed" }, new Date("2026-09-20T10:00:00Z"));
    await setTarget(store(), config, { project: "fraud", kpi: "deployment_frequency", value: 3, setBy: "ed" }, new Date("2026-10-05T10:00:00Z"));
    // A new owner and due date of the same target move no line: not marked.
    await setTarget(store(), config, { project: "fraud", kpi: "deployment_frequency", value: 3, owner: "Ada", due: "2027-03-31", setBy: "ed" }, new Date("2026-10-06T10:00:00Z"));
    await setTarget(store(), config, { project: "fraud", kpi: "data_freshness_lag", dimension: "transactions", value: 6, setBy: "ed" }, new Date("2026-10-06T10:00:00Z"));
    await setTarget(store(), config, { project: "fraud", kpi: "lead_time_for_changes", value: 36, setBy: "ed" }, new Date("2026-10-07T10:00:00Z"));
    await removeTarget(store(), config, { project: "fraud", kpi: "lead_time_for_changes", setBy: "ed" }, new Date("2026-10-20T10:00:00Z"));
    await insertReleases(store(), [
      { repo: "acme/fraud-api", tag: "v1.10.0", name: "Release v1.10.0", url: "https://github.com/acme/fraud-api/releases/tag/v1.10.0", publishedAt: "2026-10-08T09:00:00Z" },
      { repo: "acme/fraud-api", tag: "v1.11.0-rc1", prerelease: true, publishedAt: "2026-10-09T09:00:00Z" },
      { repo: "acme/fraud-api", tag: "v1.12.0", draft: true, publishedAt: "2026-10-09T09:00:00Z" },
      { repo: "acme/churn", tag: "v9.0.0", publishedAt: "2026-10-09T09:00:00Z" },
    ]);
    await insertDeployments(store(), [
      { externalId: "m1", kind: "model", model: "fraud-xgb", service: null, version: "12", finishedAt: "2026-10-14T23:30:00Z" },
      { externalId: "m2", kind: "model", model: "fraud-nn", service: null, version: "v3", status: "failure", finishedAt: "2026-10-15T09:00:00Z" },
      { externalId: "m3", kind: "model", model: "fraud-nn", service: null, version: "v3", environment: "staging", finishedAt: "2026-10-15T09:00:00Z" },
      { externalId: "m4", kind: "model", model: "churn-lgbm", service: null, version: "7", finishedAt: "2026-10-15T09:00:00Z" },
      { externalId: "c1", finishedAt: "2026-10-15T09:00:00Z" },
    ]);
    await addNote(store(), config, note({ at: "2026-10-08", text: "moved to the new cluster" }));

    const { annotations } = await projectAnnotations(store(), config, { project: "fraud", from: "2026-10-01", to: "2026-10-31" });
    expect(annotations.map((a) => [a.at, a.kind, a.kpi, a.text])).toEqual([
      ["2026-10-05", "target", "deployment_frequency", "Target changed: 2/day → 3/day"],
      ["2026-10-07", "target", "lead_time_for_changes", "Target set: 36 h"],
      ["2026-10-08", "release", null, "Release v1.10.0"],
      ["2026-10-08", "note", null, "moved to the new cluster"],
      ["2026-10-14", "model", null, "fraud-xgb v12 in production"],
      ["2026-10-20", "target", "lead_time_for_changes", "Target removed (was 36 h)"],
    ]);
    expect(annotations[2]!.url).toBe("https://github.com/acme/fraud-api/releases/tag/v1.10.0");

    // The day is the project's: 23:30 UTC on 14 Oct is 19:30 in New York; churn's release and model are its own.
    const churn = await projectAnnotations(store(), config, { project: "churn", from: "2026-10-01", to: "2026-10-31" });
    expect(churn.annotations.map((a) => [a.at, a.text])).toEqual([
      ["2026-10-09", "Release v9.0.0"],
      ["2026-10-15", "churn-lgbm v7 in production"],
    ]);
  });

  it("marks the charts an event explains: a note or target its KPI's (or every chart), a release delivery and code, a model version the model charts", () => {
    const charts = (kind: "note" | "target" | "release" | "model", kpi: string | null) =>
      ["deployment_frequency", "rework_rate", "model_iterations_shipped", "data_freshness_lag"].filter((chart) => marksChart({ kind, kpi }, chart));
    expect(charts("note", null)).toEqual(["deployment_frequency", "rework_rate", "model_iterations_shipped", "data_freshness_lag"]);
    expect(charts("note", "rework_rate")).toEqual(["rework_rate"]);
    expect(charts("target", "deployment_frequency")).toEqual(["deployment_frequency"]);
    expect(charts("release", null)).toEqual(["deployment_frequency", "rework_rate"]);
    expect(charts("model", null)).toEqual(["model_iterations_shipped"]);
  });

  it("labels read as a sentence, never doubled", () => {
    expect(releaseLabel("v1.10.0", "Release v1.10.0")).toBe("Release v1.10.0");
    expect(releaseLabel("v1.10.0", "v1.10.0")).toBe("Release v1.10.0");
    expect(releaseLabel("v1.10.0", null)).toBe("Release v1.10.0");
    expect(releaseLabel("v1.10.0", "")).toBe("Release v1.10.0");
    expect(releaseLabel("v2.0.0", "Spring cleaning")).toBe("Release v2.0.0 — Spring cleaning");
    expect(releaseLabel("v2.0.0", "Fraud API v2.0.0")).toBe("Release Fraud API v2.0.0");
    expect(releaseLabel("v2.0.0", "Release day")).toBe("Release day (v2.0.0)");
    expect(modelLabel("fraud-xgb", "12")).toBe("fraud-xgb v12 in production");
    expect(modelLabel("fraud-xgb", "v12")).toBe("fraud-xgb v12 in production");
    expect(modelLabel("fraud-xgb", "champion-2")).toBe("fraud-xgb champion-2 in production");
    expect(modelLabel("fraud-xgb", null)).toBe("fraud-xgb: a new version in production");
    expect(targetLabel({ kpi: "deployment_frequency", old: null, new: { value: 3 } as never })).toBe("Target set: 3/day");
    expect(targetLabel({ kpi: "change_failure_rate", old: { value: 15, warn: null, owner: null, due: null }, new: { value: 10, warn: null, owner: null, due: null } })).toBe("Target changed: 15 % → 10 %");
    expect(targetLabel({ kpi: "change_failure_rate", old: { value: 10, warn: null, owner: null, due: null }, new: { value: 10, warn: 2, owner: null, due: null } })).toBe("Target margin changed: 10 %");
  });
});
