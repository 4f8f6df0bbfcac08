import { describe, expect, it } from "vitest";
import type { ProjectConfig } from "@/lib/config/load";
import { reportEntry } from "@/test/support/records";
import { chooseGroup, doraBands, targetCounts } from "@/lib/report/portfolio";

const target = { value: 10, warn: 1 };

describe("the portfolio's counts of targets", () => {
  it("counts each entry with a target under its status, per-dimension entries included, and nothing else", () => {
    const entries = [
      reportEntry({ id: "lead_time_for_changes", target, status: "met" }),
      reportEntry({ id: "time_to_restore", target, status: "met", forecast: { due: "2027-03-31", value: 40, low: 30, high: 50, status: "off_track" } }),
      reportEntry({ id: "deployment_frequency", target, status: "at_risk", forecast: { due: "2027-03-31", value: 0.9, low: 0.5, high: 1.2, status: "off_track" } }),
      reportEntry({ id: "data_freshness_lag", dimension: "transactions", target, status: "missed" }),
      reportEntry({ id: "data_freshness_lag", dimension: "chargebacks", target, status: "met", forecast: { due: "2027-03-31", value: 2, low: 1, high: 3, status: "on_track" } }),
      reportEntry({ id: "data_freshness_lag", dimension: null, value: null, target, status: "no_data" }),
      reportEntry({ id: "releases", status: "no_target" }),
      // Without a target a status is no count, even if one were set by mistake.
      reportEntry({ id: "bug_fixes", status: "met" }),
    ];
    // Off track counts forecasts, across statuses: a met target heading for a miss is both.
    expect(targetCounts(entries)).toEqual({ met: 3, at_risk: 1, missed: 1, off_track: 2 });
    expect(targetCounts([])).toEqual({ met: 0, at_risk: 0, missed: 0, off_track: 0 });
  });

  it("gives the four DORA bands of the project entries, in catalog order, null without data", () => {
    const entries = [
      reportEntry({ id: "time_to_restore", value: 30, band: "high" }),
      reportEntry({ id: "deployment_frequency", value: 2, band: "elite" }),
      reportEntry({ id: "change_failure_rate", value: null, band: null }),
      reportEntry({ id: "rework_rate", value: 3 }),
    ];
    expect(doraBands(entries)).toEqual([
      { id: "deployment_frequency", value: 2, band: "elite" },
      { id: "lead_time_for_changes", value: null, band: null },
      { id: "change_failure_rate", value: null, band: null },
      { id: "time_to_restore", value: 30, band: "high" },
    ]);
  });
});

describe("the overview's group filter", () => {
  const project = (slug: string, group?: string) => ({ slug, name: slug, group }) as ProjectConfig;
  const projects = [project("a", "Risk"), project("b", "Growth"), project("c"), project("d", "Risk")];

  it("lists the groups in first-named order and narrows to one", () => {
    expect(chooseGroup(projects, undefined)).toMatchObject({ groups: ["Risk", "Growth"], group: null, error: null });
    expect(chooseGroup(projects, undefined).projects.map((p) => p.slug)).toEqual(["a", "b", "c", "d"]);
    const risk = chooseGroup(projects, "Risk");
    expect(risk.group).toBe("Risk");
    expect(risk.projects.map((p) => p.slug)).toEqual(["a", "d"]);
  });

  it("says in one line that no project is in an unknown group, and shows every project", () => {
    const unknown = chooseGroup(projects, "risk");
    expect(unknown.error).toBe('No project is in the group "risk": one of Risk, Growth. Showing every project.');
    expect(unknown.projects).toHaveLength(4);
    expect(chooseGroup([project("c")], "Risk").error).toBe('No project is in the group "Risk": no project has a group. Showing every project.');
  });
});
